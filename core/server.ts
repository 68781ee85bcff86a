/**
 * @module
 * One core HTTP process (a cluster worker, or the only process with
 * `CORE_WORKERS=1`): applies migrations when a database is configured and
 * serves on `PORT` (3000) signal ingestion (`POST /signals`, queued on
 * BullMQ), the experiment metrics routes, the analytics API and the latency
 * report, with the backlog of every queue among its metrics.
 */
import type { Queue } from 'bullmq'
import type pg from 'pg'
import { createAccessPolicy } from './access/index.ts'
import { startBenchmarkScheduler } from './benchmarks/index.ts'
import { createCoreApp } from './http/app.ts'
import { createSignalQueue } from './ingestion/index.ts'
import { startMockupReconciler } from './mockups/reconcile-scheduler.ts'
import type { MockupQueue } from './mockups/routes.ts'
import { type MetricsStore, openMetricsStore } from './optimization/index.ts'
import { createPool, migrate } from './platform/db/index.ts'
import { listen } from './platform/http/listen.ts'
import { requestLog } from './platform/logger.ts'
import { registerRedisQueueCollector } from './platform/metrics/index.ts'
import { createMockupRecords } from './platform/mockups/index.ts'
import {
  ALL_QUEUES,
  QUEUE_NAMES,
  QueueProducer,
  queueSettingsFromConfig,
} from './platform/queue/index.ts'
import { closeRedis, createRedis, queueRedisCheck } from './platform/redis/index.ts'
import type { ServiceContext } from './platform/service.ts'
import { createMockupStorage, storageReadinessChecks } from './platform/storage/index.ts'
import { createLatencyPool } from './pools/latency/index.ts'
import { rateLimitFromConfig } from './rate-limit/from-config.ts'
import { coreRoutes } from './routes.ts'

/** Core's metrics port when `METRICS_PORT` is unset. */
export const CORE_METRICS_PORT = 9464

/** Starts the core app in this process; cleanup steps go to `onShutdown`. */
export async function startCore({
  config,
  logger,
  metrics,
  onShutdown,
  addReadinessCheck,
}: ServiceContext): Promise<void> {
  let pool: pg.Pool | undefined
  if (config.DATABASE_URL) {
    pool = createPool({
      url: config.DATABASE_URL,
      size: config.DB_POOL_SIZE,
      name: 'core',
      registry: metrics.registry,
      logger,
    })
    const db = pool
    onShutdown('database pool', () => db.end())
    addReadinessCheck({ name: 'postgres', check: () => db.query('SELECT 1') })
    await migrate(db, { logger })
  } else {
    logger.warn('DATABASE_URL is unset: routes that need the database answer 503')
  }

  const settings = queueSettingsFromConfig(config)
  let signalQueue: ReturnType<typeof createSignalQueue> | undefined
  let mockupQueue: MockupQueue | undefined
  // Every queue, for the dashboard (and the benchmarks one only for it, here).
  const dashboardQueues: Queue[] = []
  let cacheRedis: ReturnType<typeof createRedis> | undefined
  let queueConnection: ReturnType<typeof createRedis> | undefined
  if (config.REDIS_URL) {
    // A fail-fast connection to the queue Redis: probes and the backlog collector.
    const redis = createRedis(config.REDIS_URL, { role: 'cache', name: 'core', logger })
    onShutdown('redis', () => closeRedis(redis))
    addReadinessCheck({ name: 'redis', check: () => redis.ping() })
    addReadinessCheck(queueRedisCheck(redis, { allowVolatile: config.QUEUE_REDIS_ALLOW_VOLATILE }))
    if (config.CACHE_REDIS_URL === config.REDIS_URL) cacheRedis = redis
    registerRedisQueueCollector(metrics.registry, ALL_QUEUES, {
      redis,
      prefix: settings.prefix,
    })
    // A queue-role connection: BullMQ scripts survive a reconnect; the producer
    // bounds each add with QUEUE_ADD_TIMEOUT_MS so a request never hangs.
    const producer = createRedis(config.REDIS_URL, {
      role: 'queue',
      name: 'core-queue-producer',
      logger,
    })
    queueConnection = producer
    onShutdown('redis (queue producer)', () => closeRedis(producer))
    signalQueue = createSignalQueue(producer, settings)
    mockupQueue = new QueueProducer(QUEUE_NAMES.mockups, { connection: producer, settings })
    const benchmarks = new QueueProducer(QUEUE_NAMES.benchmarks, { connection: producer, settings })
    dashboardQueues.push(signalQueue.queue, mockupQueue.queue, benchmarks.queue)
    onShutdown('benchmarks queue', () => benchmarks.close())
    // Run before the connection closes (steps run in reverse order).
    onShutdown('signal queue', () => signalQueue?.close())
    onShutdown('mockup queue', () => mockupQueue?.close())
  } else {
    logger.warn('REDIS_URL is unset: POST /signals and POST /mockups answer 503')
  }

  // The rate limiter's Redis: CACHE_REDIS_URL (which defaults to REDIS_URL), a
  // server that may evict; the queues above stay on REDIS_URL.
  if (config.CACHE_REDIS_URL && !cacheRedis) {
    const cache = createRedis(config.CACHE_REDIS_URL, { role: 'cache', name: 'core-cache', logger })
    onShutdown('redis (cache)', () => closeRedis(cache))
    cacheRedis = cache
  }

  if (config.REDIS_URL && pool) {
    // Every worker may call this: storing the schedule is idempotent and each
    // scheduled job goes to one worker.
    const benchmarks = startBenchmarkScheduler({
      redisUrl: config.REDIS_URL,
      settings,
      logger,
      cron: config.BENCHMARK_CRON,
      runs: config.BENCHMARK_RUNS,
      score: { url: config.BENCHMARK_SCORE_URL, topics: config.BENCHMARK_TOPICS, db: pool },
      regressionGauge: { registry: metrics.registry, db: pool },
    })
    onShutdown('benchmark scheduler', benchmarks.close)
  }
  if (config.REDIS_URL && pool && mockupQueue && queueConnection) {
    // Every worker may start it too: each scheduled pass goes to one worker.
    const reconciler = startMockupReconciler({
      redisUrl: config.REDIS_URL,
      connection: queueConnection,
      settings,
      logger,
      registry: metrics.registry,
      records: createMockupRecords(pool),
      queue: mockupQueue,
      intervalMs: config.MOCKUP_RECONCILE_INTERVAL_MS,
      graceMs: config.MOCKUP_RECONCILE_GRACE_MS,
    })
    // Registered after the queue's connection: shutdown steps run in reverse.
    onShutdown('mockup reconciler', reconciler.close)
  }

  const metricsStoreUrl = config.METRICS_STORE_URL ?? config.DATABASE_URL
  let store: MetricsStore | undefined
  if (metricsStoreUrl) {
    store = await openMetricsStore(metricsStoreUrl, {
      poolSize: config.DB_POOL_SIZE,
      // DATABASE_URL is migrated above; a separate PostgreSQL needs its own run.
      migrate: metricsStoreUrl !== config.DATABASE_URL,
      registry: metrics.registry,
      logger,
    })
    onShutdown('metrics store', () => store?.close())
    logger.info({ backend: store.backend }, 'metrics store open')
  } else {
    logger.warn('neither METRICS_STORE_URL nor DATABASE_URL is set: experiment routes answer 503')
  }

  const latencyPool = createLatencyPool({ registry: metrics.registry })
  onShutdown('latency pool', () => latencyPool.close())
  // Under the cluster METRICS_PORT is the primary's aggregate of all workers.
  const latencySources = config.LATENCY_METRICS_URLS ?? [
    `http://127.0.0.1:${config.METRICS_PORT ?? CORE_METRICS_PORT}/metrics`,
  ]

  // Shared across cluster workers in Redis (on the cache connection above, CACHE_REDIS_URL);
  // per process only when there is none.
  const limiter = rateLimitFromConfig(config, 'core', logger, {
    redis: cacheRedis,
    registry: metrics.registry,
    // At least this pod's workers share the limit; RATE_LIMIT_PROCESSES counts every replica's.
    processes: config.CORE_WORKERS,
  })
  onShutdown('rate limiter', limiter.close)
  const access = createAccessPolicy({ keys: config.API_KEYS, adminKeys: config.ADMIN_KEYS })
  // Mock-up images: a bucket (MOCKUP_STORAGE_URL) is checked for readiness, a folder is not.
  const mockupStorage = createMockupStorage(config)
  for (const check of storageReadinessChecks(mockupStorage)) addReadinessCheck(check)
  const app = createCoreApp({
    logger,
    requestLog: requestLog(logger),
    observe: metrics.observeRequest,
    apiKeys: config.API_KEYS,
    rateLimit: limiter.options,
    trustProxy: config.TRUST_PROXY,
    edgeServiceKey: config.EDGE_SERVICE_KEY,
    corsOrigins: config.CORS_ORIGINS,
    routes: coreRoutes({
      pool,
      signalQueue,
      mockupQueue,
      mockupStorage,
      metricsStore: store,
      latency: { pool: latencyPool, metricsUrls: latencySources },
      dashboardQueues,
      keys: config.API_KEYS,
      access,
      logger,
    }),
  })
  const server = await listen(app, config.PORT ?? 3000)
  onShutdown('http server', server.close)
  logger.info({ port: server.port, keys: config.API_KEYS.map((k) => k.name) }, 'core listening')
}
