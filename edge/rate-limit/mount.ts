/**
 * @module
 * The one way an app gets its rate limiter. Every app (core's HTTP app, the
 * edge on Node, the edge on workerd/Deno) builds its settings with
 * {@link rateLimitSettings} from `RATE_LIMIT_PER_MINUTE` and its runtime's
 * store, and mounts them with {@link mountRateLimit}: same limits, same 429
 * with `Retry-After`, same bucket per API-key name or client address, same
 * in-memory fallback when the store is down. Only the store differs by
 * runtime, and the key space by service.
 */
import type { Hono } from 'hono'
import type { FallbackLogger } from './fallback.ts'
import { type RateLimitOptions, rateLimit } from './rate-limit.ts'
import type { RateLimitObserver, RateLimitStore } from './types.ts'

/**
 * What an app is given to limit with: the store, the limit, the processes
 * sharing it, the fallback metrics and, optionally, the window and the store
 * deadline.
 */
export type RateLimitSettings = Omit<RateLimitOptions, 'service' | 'cost' | 'logger'>

/** Inputs of {@link rateLimitSettings}. */
export interface RateLimitSettingsInput {
  /** Requests per minute and bucket (`RATE_LIMIT_PER_MINUTE`); 0 turns the limiter off. */
  perMinute: number
  /** The runtime's store, built only when the limiter is on. */
  store: () => RateLimitStore
  /** Processes sharing the limit (`RATE_LIMIT_PROCESSES`). @defaultValue 1 */
  processes?: number
  /** Fallback metrics (Node registers them; the edge runtimes have none). */
  observer?: RateLimitObserver
}

/** The settings for `perMinute` (undefined: off). */
export function rateLimitSettings(input: RateLimitSettingsInput): RateLimitSettings | undefined {
  if (input.perMinute === 0) return undefined
  return {
    store: input.store(),
    limit: input.perMinute,
    ...(input.processes === undefined ? {} : { processes: input.processes }),
    ...(input.observer === undefined ? {} : { observer: input.observer }),
  }
}

/** What the app adds to its settings. */
export interface RateLimitContext {
  /** The service counting (`edge`, `core`): its own key space. */
  service: string
  /** What a request costs (the edge: a tRPC batch's calls). @defaultValue 1 */
  cost?: RateLimitOptions['cost']
  logger?: FallbackLogger
}

/**
 * Mounts the limiter on every route registered after this call (so register
 * `/healthz` first: probes are never limited; and `clientIdentity` before).
 * No settings: nothing mounted.
 */
export function mountRateLimit(
  app: Hono,
  settings: RateLimitSettings | undefined,
  context: RateLimitContext,
): void {
  if (!settings) return
  app.use('*', rateLimit({ ...settings, ...context }))
}
