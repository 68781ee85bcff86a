/** @module The edge cache contract over ioredis (the edge app on Node). */
import type { Redis } from 'ioredis'
import type { KeyValueCache } from '../../../edge/cache/index.ts'

/** A {@link KeyValueCache} on an ioredis connection (use a `cache`-role connection: it fails fast). */
export function ioredisCache(redis: Redis): KeyValueCache {
  return {
    get: (key) => redis.get(key),
    set: async (key, value, ttlSeconds) => {
      await redis.set(key, value, 'EX', ttlSeconds)
    },
    claim: async (key, ttlMs) => (await redis.set(key, '1', 'PX', ttlMs, 'NX')) === 'OK',
  }
}
