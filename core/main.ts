/**
 * @module
 * `npm run core`: with `CORE_WORKERS` > 1 a node:cluster primary forks that
 * many HTTP workers and serves their aggregated metrics on `METRICS_PORT`;
 * with 1, this process serves alone. Either way the HTTP app is `startCore`.
 */
import cluster from 'node:cluster'
import { runPrimary } from './cluster/primary.ts'
import { loadConfigOrExit } from './platform/config/index.ts'
import { createLogger } from './platform/logger.ts'
import { runService } from './platform/service.ts'
import { CORE_METRICS_PORT, startCore } from './server.ts'

const config = loadConfigOrExit()
if (cluster.isPrimary && config.CORE_WORKERS > 1) {
  await runPrimary({
    workers: config.CORE_WORKERS,
    metricsPort: config.METRICS_PORT ?? CORE_METRICS_PORT,
    logger: createLogger({ service: 'core-primary', level: config.LOG_LEVEL }),
  })
} else {
  await runService({ name: 'core', defaultMetricsPort: CORE_METRICS_PORT, start: startCore })
}
