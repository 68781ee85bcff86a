/**
 * @module
 * The one way an app gets its rate limiter. Every app (core's HTTP app, the
 * edge on Node, the edge on workerd/Deno) builds its settings with
 * {@link rateLimitSettings} from `RATE_LIMIT_PER_MINUTE` and its runtime's
 * store, and mounts them with {@link mountRateLimit}: same limits, same 429
 * with `Retry-After`, same key per API-key name or client address, same
 * fail-open when the store is down. Only the store differs by runtime.
 */
import type { Hono } from 'hono'
import type { ApiKey } from '../auth/keys.ts'
import type { ErrorLogger } from '../errors/index.ts'
import { type RateLimitOptions, rateLimit } from './rate-limit.ts'
import type { RateLimitStore } from './types.ts'

/**
 * What an app is given to limit with: the store, the limit and, optionally,
 * the window, the store deadline and the key space (`prefix`: apps that must
 * count apart in one store take different ones).
 */
export type RateLimitSettings = Omit<RateLimitOptions, 'keys' | 'logger'>

/** Inputs of {@link rateLimitSettings}. */
export interface RateLimitSettingsInput {
  /** Requests per minute and bucket (`RATE_LIMIT_PER_MINUTE`); 0 turns the limiter off. */
  perMinute: number
  /** The runtime's store, built only when the limiter is on. */
  store: () => RateLimitStore
  /** Bucket key prefix. @defaultValue `'ratelimit:v1:'` (shared by every app) */
  keySpace?: string
}

/** The settings for `perMinute` (undefined: off). */
export function rateLimitSettings(input: RateLimitSettingsInput): RateLimitSettings | undefined {
  if (input.perMinute === 0) return undefined
  return {
    store: input.store(),
    limit: input.perMinute,
    ...(input.keySpace === undefined ? {} : { prefix: input.keySpace }),
  }
}

/** What the app adds to its settings: the keys whose names become buckets, and its logger. */
export interface RateLimitContext {
  keys: readonly ApiKey[]
  logger?: ErrorLogger
}

/**
 * Mounts the limiter on every route registered after this call (so register
 * `/healthz` first: probes are never limited). No settings: nothing mounted.
 */
export function mountRateLimit(
  app: Hono,
  settings: RateLimitSettings | undefined,
  context: RateLimitContext,
): void {
  if (!settings) return
  app.use('*', rateLimit({ ...settings, keys: context.keys, logger: context.logger }))
}
