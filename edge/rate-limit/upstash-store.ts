/**
 * @module
 * A {@link RateLimitStore} over Upstash's REST API (fetch only), for the edge
 * runtimes: the same Lua script as the ioredis store, so every instance
 * shares one count per bucket.
 */
import { Redis } from '@upstash/redis'
import { FIXED_WINDOW_LUA, type RateLimitStore, windowCountOf } from './types.ts'

/** Options of {@link upstashRateLimitStore}. */
export interface UpstashRateLimitStoreOptions {
  url: string
  token: string
  /** Prepended to every bucket key. @defaultValue `''` */
  keyPrefix?: string
}

/** A store on Upstash. */
export function upstashRateLimitStore(options: UpstashRateLimitStoreOptions): RateLimitStore {
  // No retries: a limiter that waits for a down store delays every request.
  const redis = new Redis({ url: options.url, token: options.token, retry: false })
  const prefix = options.keyPrefix ?? ''
  return {
    async hit(key, windowMs, cost) {
      const reply = await redis.eval(
        FIXED_WINDOW_LUA,
        [prefix + key],
        [String(windowMs), String(cost)],
      )
      return windowCountOf(reply, windowMs)
    },
  }
}
