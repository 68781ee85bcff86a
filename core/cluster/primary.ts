/**
 * @module
 * The node:cluster primary of core: forks `CORE_WORKERS` HTTP workers,
 * restarts one that dies (with back-off), serves ONE `/metrics` aggregating
 * the workers that are listening (each metric with its own aggregator: sums
 * for counters and pool sizes, max for shared backlogs, averages for
 * event-loop lag; a worker booting or dying is left out rather than failing
 * the scrape), and on SIGTERM stops the workers, which drain their in-flight
 * requests, then exits 0.
 */
import cluster, { type Worker } from 'node:cluster'
import { Counter, Gauge, Registry } from 'prom-client'
import type { Logger } from '../platform/logger.ts'
import { startMetricsServer, workersMetrics } from '../platform/metrics/index.ts'
import { RestartBackoff } from './backoff.ts'

/** Options of {@link runPrimary}. */
export interface PrimaryOptions {
  workers: number
  metricsPort: number
  logger: Logger
  /** How long workers may take to drain before they are killed. @defaultValue 25000 */
  shutdownTimeoutMs?: number
}

/** Runs the primary until SIGTERM/SIGINT. */
export async function runPrimary(options: PrimaryOptions): Promise<void> {
  const { logger } = options
  const own = new Registry()
  const restarts = new Counter({
    name: 'cluster_worker_restarts_total',
    help: 'Core workers restarted after dying',
    registers: [own],
  })
  const listening = new Set<number>()
  new Gauge({
    name: 'cluster_workers_listening',
    help: 'Core workers accepting connections',
    registers: [own],
    collect() {
      this.set(listening.size)
    },
  })
  const scraped = new Gauge({
    name: 'cluster_workers_scraped',
    help: 'Core workers whose metrics the last /metrics aggregated',
    registers: [own],
  })
  const backoff = new RestartBackoff()
  const started = new Map<number, number>()
  let stopping = false

  const fork = () => {
    const worker = cluster.fork()
    started.set(worker.id, Date.now())
    worker.on('listening', () => listening.add(worker.id))
    return worker
  }

  cluster.on('exit', (worker: Worker, code, signal) => {
    listening.delete(worker.id)
    const lived = Date.now() - (started.get(worker.id) ?? Date.now())
    started.delete(worker.id)
    if (stopping) return
    const delay = backoff.nextDelay(lived)
    logger.error({ worker: worker.process.pid, code, signal, restartInMs: delay }, 'worker died')
    restarts.inc()
    setTimeout(() => {
      if (!stopping) fork()
    }, delay).unref()
  })

  for (let i = 0; i < options.workers; i++) fork()

  const server = await startMetricsServer({
    port: options.metricsPort,
    logger,
    contentType: own.contentType,
    // Listening workers' metrics aggregated, then the primary's own (no name is shared).
    metrics: async () => {
      const workers = Object.values(cluster.workers ?? {}).filter(
        (w): w is Worker => w !== undefined && listening.has(w.id),
      )
      const { registry, answered } = await workersMetrics(workers)
      scraped.set(answered)
      return `${await registry.metrics()}\n${await own.metrics()}`
    },
    readiness: [
      {
        name: 'workers',
        check: async () => {
          const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead()).length
          if (listening.size === 0 || listening.size < alive) {
            throw new Error(`${listening.size} of ${alive} workers listening`)
          }
        },
      },
    ],
  })
  logger.info({ workers: options.workers, metricsPort: server.port }, 'core primary started')

  const shutdown = async (reason: string) => {
    if (stopping) return
    stopping = true
    logger.info({ reason }, 'stopping workers')
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined)
    const exited = Promise.all(
      workers.map((w) => new Promise((resolve) => w.once('exit', resolve))),
    )
    // Each worker's runService drains its server and closes its pools on SIGTERM.
    for (const worker of workers) worker.process.kill('SIGTERM')
    const timer = setTimeout(() => {
      logger.error('workers did not drain in time; killing them')
      for (const worker of workers) worker.process.kill('SIGKILL')
    }, options.shutdownTimeoutMs ?? 25_000)
    await exited
    clearTimeout(timer)
    await server
      .close()
      .catch((err: unknown) => logger.error({ err }, 'metrics server close failed'))
    logger.info('core stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}
