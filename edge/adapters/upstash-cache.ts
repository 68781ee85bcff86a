/**
 * @module
 * The edge cache contract over `@upstash/redis` (Redis over HTTPS), for
 * runtimes without TCP clients. The Cloudflare build of the client is used on
 * every runtime: it needs only `fetch` (the default build reads `process.env`).
 */
import { Redis } from '@upstash/redis/cloudflare'
import type { KeyValueCache } from '../cache/types.ts'

/** Options of {@link upstashCache}. */
export interface UpstashCacheOptions {
  /** `UPSTASH_REDIS_REST_URL`. */
  url: string
  /** `UPSTASH_REDIS_REST_TOKEN`. */
  token: string
  /**
   * Prepended to every key (`SCORE_CACHE_PREFIX`): the REST API has no
   * per-connection prefix like ioredis's `keyPrefix`. @defaultValue ''
   */
  keyPrefix?: string
  /**
   * Each HTTP request is aborted after this long. The score service already
   * gives up after 250 ms; this only frees the connection soon after.
   * @defaultValue 500
   */
  timeoutMs?: number
}

/**
 * A {@link KeyValueCache} on Upstash. It fails fast: no retries (the client
 * would otherwise retry network errors 5 times over about 4 s), so a Redis
 * that is down turns into `X-Cache: BYPASS` at once.
 */
export function upstashCache(options: UpstashCacheOptions): KeyValueCache {
  const prefix = options.keyPrefix ?? ''
  const timeoutMs = options.timeoutMs ?? 500
  const redis = new Redis({
    url: options.url,
    token: options.token,
    retry: false,
    // A function, not a signal: the client then throws on abort (a fixed signal
    // that fired would be turned into a successful "Aborted" result).
    signal: () => AbortSignal.timeout(timeoutMs),
    // Values are JSON text already; the contract is strings in, strings out.
    automaticDeserialization: false,
    enableTelemetry: false,
  })
  return {
    get: (key) => redis.get<string>(prefix + key),
    set: async (key, value, ttlSeconds) => {
      await redis.set(prefix + key, value, { ex: ttlSeconds })
    },
    claim: async (key, ttlMs) =>
      (await redis.set(prefix + key, '1', { nx: true, px: ttlMs })) === 'OK',
  }
}
