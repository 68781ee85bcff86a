/**
 * @module
 * Per-client rate limits: a fixed window per bucket, counted in a shared
 * store. The bucket is the API key's NAME when the request carries a valid
 * key (never the secret), else the client's address. Over the limit: 429 JSON
 * with `Retry-After`. When the store fails or is slow the limiter lets the
 * request through and logs it: losing the limit for a while is better than
 * refusing every request because Redis is away.
 */
import type { MiddlewareHandler } from 'hono'
import { apiKeyResolver } from '../auth/api-key.ts'
import type { ApiKey } from '../auth/keys.ts'
import { ApiError, type ErrorLogger } from '../errors/index.ts'
import { clientIp } from './client-ip.ts'
import type { RateLimitStore, WindowCount } from './types.ts'

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  store: RateLimitStore
  /** Requests per window and bucket (`RATE_LIMIT_PER_MINUTE`). @defaultValue 600 */
  limit?: number
  /** Window length. @defaultValue 60000 (one minute) */
  windowMs?: number
  /** Keys whose names become buckets. @defaultValue none: every bucket is an address */
  keys?: readonly ApiKey[]
  /** Longest wait for the store before failing open. @defaultValue 250 */
  timeoutMs?: number
  /** Where a failing store is reported (at most once per `windowMs`). */
  logger?: ErrorLogger
  /** Bucket key prefix. @defaultValue `'ratelimit:v1:'` */
  prefix?: string
}

/** The default number of requests per minute and bucket. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600

class StoreTimeout extends Error {
  override readonly name = 'StoreTimeout'
}

/** Races `work` against a deadline, clearing the timer either way. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeout(`no answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Limits each bucket to `limit` requests per `windowMs`.
 *
 * @example
 * app.use('*', rateLimit({ store: memoryRateLimitStore(), keys: config.API_KEYS, limit: 600 }))
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const limit = options.limit ?? DEFAULT_RATE_LIMIT_PER_MINUTE
  const windowMs = options.windowMs ?? 60_000
  const timeoutMs = options.timeoutMs ?? 250
  const prefix = options.prefix ?? 'ratelimit:v1:'
  if (!Number.isInteger(limit) || limit < 1) throw new Error('rateLimit needs a whole limit >= 1')
  if (!(windowMs >= 1000)) throw new Error('rateLimit needs windowMs >= 1000')
  if (!(timeoutMs > 0)) throw new Error('rateLimit needs timeoutMs > 0')
  const nameOf = apiKeyResolver(options.keys ?? [])
  let lastWarnAt = Number.NEGATIVE_INFINITY

  return async function rateLimit(c, next) {
    const name = await nameOf(c.req.header('Authorization'))
    const bucket = name !== undefined ? `key:${name}` : `ip:${clientIp(c)}`
    let counted: WindowCount
    try {
      counted = await within(options.store.hit(prefix + bucket, windowMs), timeoutMs)
    } catch (err) {
      // Fail open; one line per window is enough to see the outage without flooding.
      const now = Date.now()
      if (now - lastWarnAt >= windowMs) {
        lastWarnAt = now
        options.logger?.error({ err, bucket }, 'rate-limit store failed: requests pass unlimited')
      }
      await next()
      return
    }
    const resetSeconds = Math.max(1, Math.ceil(counted.resetMs / 1000))
    c.header('RateLimit-Limit', String(limit))
    c.header('RateLimit-Remaining', String(Math.max(0, limit - counted.count)))
    c.header('RateLimit-Reset', String(resetSeconds))
    if (counted.count > limit) {
      throw new ApiError(
        429,
        'rate_limited',
        `Too many requests: at most ${limit} per ${windowMs / 1000} s; retry in ${resetSeconds} s`,
        undefined,
        { 'Retry-After': String(resetSeconds) },
      )
    }
    await next()
  }
}
