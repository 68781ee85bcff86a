/**
 * @module
 * `npm run edge`: the edge app on Node (PORT 8787, metrics on METRICS_PORT
 * 9465), with ioredis and pg behind the edge contracts. It lives in core/
 * because it needs Node's clients and the process plumbing; the Deno and
 * workerd entries sit in edge/entry/.
 */
import { createEdgeApp } from '../../edge/app.ts'
import { scoreGetEtag } from '../../edge/gateway/index.ts'
import { createScoreService } from '../../edge/score/index.ts'
import { createPool } from '../platform/db/index.ts'
import { listen } from '../platform/http/listen.ts'
import { createRedis } from '../platform/redis/index.ts'
import { runService } from '../platform/service.ts'
import { ioredisCache } from './adapters/ioredis-cache.ts'
import { pgSql } from './adapters/pg-sql.ts'
import { scoreCacheCounter } from './metrics.ts'

await runService({
  name: 'edge',
  defaultMetricsPort: 9465,
  async start({ config, logger, metrics, onShutdown, addReadinessCheck }) {
    if (!config.DATABASE_URL || !config.REDIS_URL) {
      throw new Error('the edge app on Node needs DATABASE_URL and REDIS_URL')
    }
    const pool = createPool({
      url: config.DATABASE_URL,
      size: config.DB_POOL_SIZE,
      name: 'edge',
      registry: metrics.registry,
      logger,
    })
    onShutdown('database pool', () => pool.end())
    const redis = createRedis(config.REDIS_URL, { role: 'cache', name: 'edge-score-cache', logger })
    onShutdown('redis', () => redis.quit())
    // Ready means the database answers: without Redis the app still serves (BYPASS).
    addReadinessCheck({ name: 'postgres', check: () => pool.query('SELECT 1') })

    const db = pgSql(pool)
    const score = createScoreService({
      db,
      cache: ioredisCache(redis),
      ttlSeconds: config.SCORE_CACHE_TTL_SECONDS,
      l1:
        config.SCORE_L1_TTL_MS > 0
          ? { maxEntries: config.SCORE_L1_MAX_ENTRIES, ttlMs: config.SCORE_L1_TTL_MS }
          : false,
      countCacheRequest: scoreCacheCounter(metrics.registry),
      onError: (err, where) => logger.warn({ err, where }, 'score dependency failed'),
      // The validator cache: conditional score.get calls are answered from this tag.
      etagOf: scoreGetEtag,
    })
    // The tRPC gateway at /trpc: core over CORE_URL, benchmarks.history on this pool.
    const app = createEdgeApp({
      logger,
      observe: metrics.observeRequest,
      score,
      db,
      coreUrl: config.CORE_URL,
      apiKeys: config.API_KEYS,
    })
    const server = await listen(app, config.PORT ?? 8787)
    onShutdown('http server', server.close)
    logger.info({ port: server.port }, 'edge listening')
  },
})
