/**
 * @module
 * `npm run core`: the core HTTP service. Applies migrations at start when a
 * database is configured, serves on `PORT` (3000) and metrics on
 * `METRICS_PORT` (9464).
 */
import { createCoreApp } from './http/app.ts'
import { createPool, migrate } from './platform/db/index.ts'
import { listen } from './platform/http/listen.ts'
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
    if (config.REDIS_URL) {
      const redis = createRedis(config.REDIS_URL, { role: 'cache', name: 'core', logger })
      onShutdown('redis', () => redis.quit())
      addReadinessCheck({ name: 'redis', check: () => redis.ping() })
    }
    const app = createCoreApp({ logger, observe: metrics.observeRequest, apiKeys: config.API_KEYS })
    const server = await listen(app, config.PORT ?? 3000)
    onShutdown('http server', server.close)
    logger.info({ port: server.port, keys: config.API_KEYS.map((k) => k.name) }, 'core listening')
  },
})
