/**
 * @module
 * The rate-limit store on ioredis, for core and the edge host on Node: the
 * shared fixed-window script, so every process counts in one bucket. Use a
 * `cache`-role connection: it fails fast instead of queueing commands while
 * Redis is away, and the limiter then counts in memory.
 */
import type { Redis } from 'ioredis'
import {
  FIXED_WINDOW_LUA,
  type RateLimitStore,
  windowCountOf,
} from '../../edge/rate-limit/index.ts'

/** A {@link RateLimitStore} on `redis`. */
export function ioredisRateLimitStore(redis: Redis): RateLimitStore {
  return {
    async hit(key, windowMs, cost) {
      // EVAL with the script each time: EVALSHA would need a NOSCRIPT fallback
      // after a restart, and the script is a few bytes.
      const reply = await redis.eval(FIXED_WINDOW_LUA, 1, key, String(windowMs), String(cost))
      return windowCountOf(reply, windowMs)
    },
  }
}
