/**
 * @module
 * The edge app's clients on Node, chosen by `EDGE_CACHE` and `EDGE_DB`:
 * ioredis and pg by default, or the clients the edge runtimes use (Upstash,
 * Neon, memory), so the deployed code path can run here against the local
 * bridges.
 */
import type { Registry } from 'prom-client'
import { memoryCache, neonSql, upstashCache } from '../../edge/adapters/index.ts'
import type { KeyValueCache } from '../../edge/cache/index.ts'
import type { SqlClient } from '../../edge/db/types.ts'
import type { Config } from '../platform/config/index.ts'
import { createPool } from '../platform/db/index.ts'
import type { HealthCheck } from '../platform/health.ts'
import type { Logger } from '../platform/logger.ts'
import { closeRedis, createRedis } from '../platform/redis/index.ts'
import { ioredisCache } from './adapters/ioredis-cache.ts'
import { pgSql } from './adapters/pg-sql.ts'

/** The clients, their readiness checks and how to close them. */
export interface EdgeClients {
  cache: KeyValueCache
  db: SqlClient
  /** Ready means the database answers: without the cache the app still serves (BYPASS). */
  readiness: HealthCheck
  close: () => Promise<void>
}

function need(value: string | undefined, name: string, because: string): string {
  if (!value) throw new Error(`${name} is required ${because}`)
  return value
}

/** Builds the clients `config` asks for. */
export function edgeClients(
  config: Config,
  options: { logger: Logger; registry: Registry },
): EdgeClients {
  const closers: (() => Promise<unknown>)[] = []
  let db: SqlClient
  if (config.EDGE_DB === 'neon') {
    db = neonSql({
      connectionString: need(config.NEON_DATABASE_URL, 'NEON_DATABASE_URL', 'when EDGE_DB is neon'),
      ...(config.NEON_FETCH_ENDPOINT ? { fetchEndpoint: config.NEON_FETCH_ENDPOINT } : {}),
    })
  } else {
    const pool = createPool({
      url: need(config.DATABASE_URL, 'DATABASE_URL', 'when EDGE_DB is pg'),
      size: config.DB_POOL_SIZE,
      name: 'edge',
      registry: options.registry,
      logger: options.logger,
    })
    closers.push(() => pool.end())
    db = pgSql(pool)
  }

  let cache: KeyValueCache
  if (config.EDGE_CACHE === 'upstash') {
    cache = upstashCache({
      url: need(
        config.UPSTASH_REDIS_REST_URL,
        'UPSTASH_REDIS_REST_URL',
        'when EDGE_CACHE is upstash',
      ),
      token: need(
        config.UPSTASH_REDIS_REST_TOKEN,
        'UPSTASH_REDIS_REST_TOKEN',
        'when EDGE_CACHE is upstash',
      ),
      keyPrefix: config.SCORE_CACHE_PREFIX,
    })
  } else if (config.EDGE_CACHE === 'memory') {
    cache = memoryCache()
  } else {
    // The score cache may evict: CACHE_REDIS_URL (REDIS_URL when unset), never the queues' need.
    const url = config.CACHE_REDIS_URL ?? config.REDIS_URL
    const redis = createRedis(
      need(url, 'CACHE_REDIS_URL or REDIS_URL', 'when EDGE_CACHE is ioredis'),
      {
        role: 'cache',
        name: 'edge-score-cache',
        logger: options.logger,
      },
    )
    closers.push(() => closeRedis(redis))
    cache = ioredisCache(redis)
  }

  return {
    cache,
    db,
    readiness: {
      name: config.EDGE_DB === 'neon' ? 'neon' : 'postgres',
      check: () => db.query('SELECT 1', []),
    },
    close: async () => {
      for (const close of closers) await close().catch(() => {})
    },
  }
}
