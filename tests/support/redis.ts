/**
 * @module
 * A key prefix per test file on the shared test Redis, and cleanup of only
 * those keys (never FLUSHDB: other files use the same database in parallel).
 */
import { randomUUID } from 'node:crypto'
import { Redis, type RedisOptions } from 'ioredis'
import { testRedisUrl } from './env.ts'

/** A connection whose keys all start with a unique prefix. */
export interface TestRedis {
  redis: Redis
  prefix: string
  /** Deletes this file's keys and disconnects. */
  cleanup: () => Promise<void>
}

/** Connects to the test Redis with a `test:<label>:<random>:` key prefix. */
export function createTestRedis(label: string, options: RedisOptions = {}): TestRedis {
  const prefix = `test:${label}:${randomUUID().slice(0, 8)}:`
  const redis = new Redis(testRedisUrl(), { keyPrefix: prefix, ...options })
  return {
    redis,
    prefix,
    cleanup: async () => {
      // SCAN ignores keyPrefix, so match on the full prefix with a plain connection.
      const admin = new Redis(testRedisUrl())
      try {
        let cursor = '0'
        do {
          const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
          cursor = next
          if (keys.length) await admin.del(...keys)
        } while (cursor !== '0')
      } finally {
        admin.disconnect()
        redis.disconnect()
      }
    },
  }
}
