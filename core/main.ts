/**
 * @module
 * `npm run core`: the core HTTP service. Applies migrations at start when a
 * database is configured, serves on `PORT` (3000) and metrics on
 * `METRICS_PORT` (9464): signal ingestion (`POST /signals`, queued on BullMQ),
 * the experiment metrics routes, and the backlog of every queue.
 */
import { createCoreApp } from './http/app.ts'
import { createSignalQueue, signalRoutes } from './ingestion/index.ts'
import { experimentRoutes, type MetricsStore, openMetricsStore } from './optimization/index.ts'
import { createPool, migrate } from './platform/db/index.ts'
import { listen } from './platform/http/listen.ts'
import { registerRedisQueueCollector } from './platform/metrics/index.ts'
import { ALL_QUEUES, queueSettingsFromConfig } from './platform/queue/index.ts'
import { createRedis } from './platform/redis/index.ts'
import { runService } from './platform/service.ts'

await runService({
  name: 'core',
  defaultMetricsPort: 9464,
  async start({ config, logger, metrics, onShutdown, addReadinessCheck }) {
    if (config.DATABASE_URL) {
      const pool = createPool({
        url: config.DATABASE_URL,
        size: config.DB_POOL_SIZE,
        name: 'core',
        registry: metrics.registry,
        logger,
      })
      onShutdown('database pool', () => pool.end())
      addReadinessCheck({ name: 'postgres', check: () => pool.query('SELECT 1') })
      await migrate(pool, { logger })
    } else {
      logger.warn('DATABASE_URL is unset: routes that need the database answer 503')
    }

    const settings = queueSettingsFromConfig(config)
    let signalQueue: ReturnType<typeof createSignalQueue> | undefined
    if (config.REDIS_URL) {
      const redis = createRedis(config.REDIS_URL, { role: 'cache', name: 'core', logger })
      onShutdown('redis', () => redis.quit())
      addReadinessCheck({ name: 'redis', check: () => redis.ping() })
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
      onShutdown('redis (queue producer)', () => producer.quit())
      signalQueue = createSignalQueue(producer, settings)
      // Runs before the connection closes (steps run in reverse order).
      onShutdown('signal queue', () => signalQueue?.close())
    } else {
      logger.warn('REDIS_URL is unset: POST /signals answers 503')
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

    const app = createCoreApp({
      logger,
      observe: metrics.observeRequest,
      apiKeys: config.API_KEYS,
      routes: [signalRoutes({ queue: signalQueue }), experimentRoutes({ store })],
    })
    const server = await listen(app, config.PORT ?? 3000)
    onShutdown('http server', server.close)
    logger.info({ port: server.port, keys: config.API_KEYS.map((k) => k.name) }, 'core listening')
  },
})
