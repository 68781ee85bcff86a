/**
 * @module
 * Piscina pools for CPU-heavy work that must not block the event loop, with
 * a bounded queue (a full queue is a 503, not unbounded memory) and the
 * gauges `worker_pool_utilization{pool}` and `worker_pool_queue_size{pool}`.
 */
import { availableParallelism } from 'node:os'
import Piscina from 'piscina'
import { Gauge, type Registry } from 'prom-client'
import { serviceUnavailable } from '../../edge/errors/index.ts'

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** The `pool` label. */
  name: string
  /** Thread entry: a `.cjs` file that loads its TypeScript task through `tsx/cjs`. */
  filename: string
  /** Threads. @defaultValue available parallelism - 1, at least 1 */
  size?: number
  /** Tasks waiting at most; more are refused. @defaultValue 64 */
  maxQueue?: number
  registry?: Registry
}

/** A typed pool. */
export interface WorkerPool<In, Out> {
  /** Runs a task; rejects with a 503 ApiError when the queue is full. */
  run: (task: In) => Promise<Out>
  readonly utilization: number
  readonly queueSize: number
  close: () => Promise<void>
}

const gauges = new WeakMap<
  Registry,
  { pools: Map<string, { utilization: number; queueSize: number }> }
>()

function track(registry: Registry, name: string, pool: { utilization: number; queueSize: number }) {
  let state = gauges.get(registry)
  if (!state) {
    const pools = new Map<string, { utilization: number; queueSize: number }>()
    state = { pools }
    const gauge = (
      metric: string,
      help: string,
      read: (p: { utilization: number; queueSize: number }) => number,
    ) =>
      new Gauge({
        name: metric,
        help,
        labelNames: ['pool'] as const,
        registers: [registry],
        // Workers' pools are separate: the cluster sees the busiest one.
        aggregator: 'max',
        collect() {
          this.reset()
          for (const [label, p] of pools) this.set({ pool: label }, read(p))
        },
      })
    gauge('worker_pool_utilization', 'Share of the pool threads busy (0-1)', (p) => p.utilization)
    gauge('worker_pool_queue_size', 'Tasks waiting for a pool thread', (p) => p.queueSize)
    gauges.set(registry, state)
  }
  state.pools.set(name, pool)
}

/**
 * Seconds a client waits after a full pool: shorter than an outage's
 * `RETRY_AFTER_SECONDS` on purpose. Nothing is down; this process shed load
 * and its queue drains in well under a second, so a 5 s wait would idle
 * clients (and the next request may land on another worker anyway).
 */
export const POOL_FULL_RETRY_AFTER_SECONDS = 1

/** Creates a pool. */
export function createWorkerPool<In, Out>(options: WorkerPoolOptions): WorkerPool<In, Out> {
  const size = options.size ?? Math.max(1, availableParallelism() - 1)
  const maxQueue = options.maxQueue ?? 64
  const piscina = new Piscina<In, Out>({
    filename: options.filename,
    minThreads: 1,
    maxThreads: size,
    maxQueue,
  })
  const pool: WorkerPool<In, Out> = {
    run: async (task) => {
      if (piscina.queueSize >= maxQueue) {
        throw serviceUnavailable(
          'workerPool',
          `the ${options.name} pool is full; retry later`,
          POOL_FULL_RETRY_AFTER_SECONDS,
        )
      }
      return piscina.run(task)
    },
    get utilization() {
      return piscina.utilization
    },
    get queueSize() {
      return piscina.queueSize
    },
    close: () => piscina.destroy(),
  }
  if (options.registry) {
    const registry = options.registry
    track(registry, options.name, pool)
    const close = pool.close
    pool.close = async () => {
      gauges.get(registry)?.pools.delete(options.name)
      await close()
    }
  }
  return pool
}
