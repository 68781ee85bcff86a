/**
 * @module
 * Per-client rate limits: a fixed window per bucket, counted in a shared
 * store. The bucket is the caller's key NAME when it has a valid key (never
 * the secret), else its address (`c.var.client`, from `clientIdentity`). A
 * call counts once, where it enters: a call the edge vouched for was counted
 * there and passes core's limiter; a tRPC batch costs one per call. Over the
 * limit: 429 JSON with `Retry-After`. When the store fails or is slow, each
 * process counts in memory against its share of the limit (see `fallback.ts`).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { ApiError } from '../errors/index.ts'
import { bucketOf } from '../identity/context.ts'
import { type FallbackLogger, fallbackCounter } from './fallback.ts'
import type { RateLimitObserver, RateLimitStore } from './types.ts'

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  store: RateLimitStore
  /** Requests per window and bucket (`RATE_LIMIT_PER_MINUTE`). @defaultValue 600 */
  limit?: number
  /** Window length. @defaultValue 60000 (one minute) */
  windowMs?: number
  /** Longest wait for the store before counting in memory. @defaultValue 250 */
  timeoutMs?: number
  /** Processes sharing the limit (`RATE_LIMIT_PROCESSES`): each allows its share in fallback. @defaultValue 1 */
  processes?: number
  /** The service counting, and its own key space (`rl:<service>:`). @defaultValue `'edge'` */
  service?: string
  /** What one request costs (a tRPC batch: its calls). @defaultValue 1 */
  cost?: (c: Context) => number
  /** Where entering and leaving the fallback is logged. */
  logger?: FallbackLogger
  /** Fallback metrics. */
  observer?: RateLimitObserver
}

/** The default number of requests per minute and bucket. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600

/** The key space of `service`'s buckets: services never count in each other's. */
export const rateLimitPrefix = (service: string) => `rl:${service}:`

/**
 * Limits each bucket to `limit` requests per `windowMs`. Mount
 * `clientIdentity` before it.
 *
 * @example
 * app.use('*', clientIdentity({ keys }), rateLimit({ store, limit: 600, service: 'edge' }))
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const limit = options.limit ?? DEFAULT_RATE_LIMIT_PER_MINUTE
  const windowMs = options.windowMs ?? 60_000
  const timeoutMs = options.timeoutMs ?? 250
  const processes = options.processes ?? 1
  const service = options.service ?? 'edge'
  const prefix = rateLimitPrefix(service)
  if (!Number.isInteger(limit) || limit < 1) throw new Error('rateLimit needs a whole limit >= 1')
  if (!(windowMs >= 1000)) throw new Error('rateLimit needs windowMs >= 1000')
  if (!(timeoutMs > 0)) throw new Error('rateLimit needs timeoutMs > 0')
  if (!Number.isInteger(processes) || processes < 1) {
    throw new Error('rateLimit needs a whole processes >= 1')
  }
  const counter = fallbackCounter({
    store: options.store,
    limit,
    processes,
    timeoutMs,
    service,
    logger: options.logger,
    observer: options.observer,
  })

  return async function rateLimit(c, next) {
    const client = c.var.client
    if (!client) throw new Error('rateLimit needs clientIdentity mounted before it')
    // Counted where it entered: the edge, which vouched for it.
    if (client.viaEdge) return next()
    const cost = options.cost?.(c) ?? 1
    const counted = await counter.hit(prefix + bucketOf(client), windowMs, cost)
    const resetSeconds = Math.max(1, Math.ceil(counted.resetMs / 1000))
    const headers = {
      'RateLimit-Limit': String(counted.limit),
      'RateLimit-Remaining': String(Math.max(0, counted.limit - counted.count)),
      'RateLimit-Reset': String(resetSeconds),
    }
    if (counted.count > counted.limit) {
      throw new ApiError(
        429,
        'rate_limited',
        `Too many requests: at most ${counted.limit} per ${windowMs / 1000} s; retry in ${resetSeconds} s`,
        undefined,
        { ...headers, 'Retry-After': String(resetSeconds) },
      )
    }
    await next()
    // Set after the handler: a Response it built itself (tRPC's) drops headers set before.
    for (const [name, value] of Object.entries(headers)) c.header(name, value)
  }
}
