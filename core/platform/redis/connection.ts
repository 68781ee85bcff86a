/**
 * @module
 * Redis connections (ioredis), tuned per role: a queue connection waits for
 * Redis to come back (BullMQ needs that), a cache connection fails fast so a
 * request falls back to the database instead of waiting.
 */
import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from '../logger.ts'

/** What a connection is for. */
export type RedisRole = 'queue' | 'cache'

/** Options of {@link createRedis}. */
export interface RedisConnectionOptions {
  role: RedisRole
  /** Shown by `CLIENT LIST` and in logs. */
  name: string
  logger?: Logger
  /** Per-command deadline of cache connections. @defaultValue 250 */
  cacheTimeoutMs?: number
}

const ROLE_OPTIONS: Record<RedisRole, (timeoutMs: number) => RedisOptions> = {
  // BullMQ requires maxRetriesPerRequest: null on worker connections.
  queue: () => ({ maxRetriesPerRequest: null }),
  cache: (timeoutMs) => ({
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: 1000,
  }),
}

/** Creates a connection; connection errors are logged (at most every 10 s), never thrown. */
export function createRedis(url: string, options: RedisConnectionOptions): Redis {
  const redis = new Redis(url, {
    connectionName: options.name,
    // Reconnect with capped back-off forever: Redis coming back heals the process.
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000),
    ...ROLE_OPTIONS[options.role](options.cacheTimeoutMs ?? 250),
  })
  let lastLogged = 0
  redis.on('error', (err) => {
    const now = Date.now()
    if (now - lastLogged < 10_000) return
    lastLogged = now
    options.logger?.warn({ err: err.message, connection: options.name }, 'redis connection error')
  })
  return redis
}

/**
 * Closes a connection at shutdown: a polite QUIT when Redis is there, else a
 * plain disconnect (QUIT would fail or wait on a server that is gone). Never throws.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    const quit = await redis.quit().then(
      () => true,
      () => false,
    )
    if (quit) return
  }
  redis.disconnect()
}
