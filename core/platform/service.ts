/**
 * @module
 * The life of a Node service process: configuration, logger, metrics server,
 * and a shutdown that runs every cleanup step (in reverse order of start) even
 * when one fails, then exits 0 on SIGTERM/SIGINT.
 */
import cluster from 'node:cluster'
import { type Config, loadConfigOrExit } from './config/index.ts'
import type { HealthCheck } from './health.ts'
import { createLogger, type Logger } from './logger.ts'
import {
  createProcessMetrics,
  exposeToPrimary,
  type ProcessMetrics,
  registryMetrics,
  startMetricsServer,
} from './metrics/index.ts'

/** What a service's start function receives. */
export interface ServiceContext {
  config: Config
  logger: Logger
  metrics: ProcessMetrics
  /** Registers a cleanup step; steps run in reverse order at shutdown. */
  onShutdown: (name: string, step: () => Promise<unknown> | unknown) => void
  /** Adds a dependency the `/readyz` probe checks. */
  addReadinessCheck: (check: HealthCheck) => void
}

/** Options of {@link runService}. */
export interface ServiceOptions {
  name: string
  /** Metrics port when `METRICS_PORT` is unset. */
  defaultMetricsPort: number
  start: (context: ServiceContext) => Promise<void>
  /** How long cleanup may take before the process is forced out. @defaultValue 25000 */
  shutdownTimeoutMs?: number
}

/** Runs a service until SIGTERM/SIGINT; a failed start logs and exits 1. */
export async function runService(options: ServiceOptions): Promise<void> {
  const config = loadConfigOrExit()
  const logger = createLogger({ service: options.name, level: config.LOG_LEVEL })
  const metrics = createProcessMetrics()
  const steps: { name: string; step: () => Promise<unknown> | unknown }[] = []
  let started = false
  let stopping = false
  // Not ready until start() has finished (a GPU worker loads its models
  // there, registering its own checks as it goes) and again once stopping.
  const readiness: HealthCheck[] = [
    {
      name: 'lifecycle',
      check: async () => {
        if (stopping) throw new Error('shutting down')
        if (!started) throw new Error('starting')
      },
    },
  ]
  const context: ServiceContext = {
    config,
    logger,
    metrics,
    onShutdown: (name, step) => steps.push({ name, step }),
    addReadinessCheck: (check) => readiness.push(check),
  }

  const shutdown = async (reason: string, exitCode = 0) => {
    if (stopping) return
    stopping = true
    logger.info({ reason }, 'shutting down')
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting')
      process.exit(1)
    }, options.shutdownTimeoutMs ?? 25_000)
    force.unref()
    for (const { name, step } of steps.reverse()) {
      try {
        await step()
      } catch (err) {
        logger.error({ err, step: name }, 'shutdown step failed')
      }
    }
    logger.info('stopped')
    process.exit(exitCode)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  try {
    if (cluster.isWorker) {
      // The cluster primary serves METRICS_PORT with every worker's metrics.
      exposeToPrimary(metrics.registry)
    } else {
      const server = await startMetricsServer({
        ...registryMetrics(metrics.registry),
        readiness,
        logger,
        port: config.METRICS_PORT ?? options.defaultMetricsPort,
      })
      context.onShutdown('metrics server', server.close)
      logger.info({ port: server.port }, 'metrics server listening')
    }
    await options.start(context)
    started = true
  } catch (err) {
    logger.fatal({ err }, 'start failed')
    await shutdown('start failure', 1)
  }
}
