/**
 * @module
 * `npm run worker:ingest`: consumes `signal-ingestion` and writes signals to
 * `DATABASE_URL`, `INGEST_CONCURRENCY` batches at a time; metrics (with the
 * queue backlog) on `METRICS_PORT` (9466). Needs `REDIS_URL` and
 * `DATABASE_URL`. Migrations are core's job: until the table exists, jobs fail
 * and retry with back-off.
 *
 * `INGEST_TEST_HOLD_MS` (test only) holds each job after its insert, so a
 * test can SIGKILL the worker mid-job and check that the job is picked up again.
 */
import { createPool } from '../platform/db/index.ts'
import { registerRedisQueueCollector } from '../platform/metrics/index.ts'
import { QUEUE_NAMES, queueSettingsFromConfig } from '../platform/queue/index.ts'
import { closeRedis, createRedis, queueRedisCheck } from '../platform/redis/index.ts'
import { runService } from '../platform/service.ts'
import { startIngestionWorker } from './worker.ts'

await runService({
  name: 'ingest-worker',
  defaultMetricsPort: 9466,
  async start({ config, logger, metrics, onShutdown, addReadinessCheck }) {
    if (!config.DATABASE_URL || !config.REDIS_URL) {
      throw new Error('worker:ingest needs DATABASE_URL and REDIS_URL')
    }
    const settings = queueSettingsFromConfig(config)
    const pool = createPool({
      url: config.DATABASE_URL,
      size: config.DB_POOL_SIZE,
      name: 'ingest',
      registry: metrics.registry,
      logger,
    })
    onShutdown('database pool', () => pool.end())
    addReadinessCheck({ name: 'postgres', check: () => pool.query('SELECT 1') })

    // A fail-fast connection for the collector and the readiness probe, apart
    // from the worker's own, which must wait out Redis outages.
    const probe = createRedis(config.REDIS_URL, {
      role: 'cache',
      name: 'ingest-worker-metrics',
      cacheTimeoutMs: 1000,
      logger,
    })
    onShutdown('redis (metrics)', () => closeRedis(probe))
    addReadinessCheck({ name: 'redis', check: () => probe.ping() })
    addReadinessCheck(queueRedisCheck(probe, { allowVolatile: config.QUEUE_REDIS_ALLOW_VOLATILE }))
    registerRedisQueueCollector(metrics.registry, [QUEUE_NAMES.signalIngestion], {
      redis: probe,
      prefix: settings.prefix,
    })

    const started = startIngestionWorker({
      redisUrl: config.REDIS_URL,
      db: pool,
      settings,
      concurrency: config.INGEST_CONCURRENCY,
      logger,
      registry: metrics.registry,
      holdAfterInsertMs: config.INGEST_TEST_HOLD_MS,
    })
    // Registered last, so it runs first: finish active jobs while the pool is open.
    onShutdown('worker', started.close)
    logger.info(
      {
        queue: QUEUE_NAMES.signalIngestion,
        prefix: settings.prefix,
        concurrency: config.INGEST_CONCURRENCY,
      },
      'ingestion worker started',
    )
  },
})
