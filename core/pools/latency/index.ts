/**
 * @module
 * The latency pool: `createLatencyPool()` runs {@link LatencyTask}s in a
 * Piscina pool and answers the slowest routes first.
 */
import { fileURLToPath } from 'node:url'
import type { Registry } from 'prom-client'
import { createWorkerPool, type WorkerPool } from '../worker-pool.ts'
import type { LatencyReport, LatencyTask } from './task.ts'

export type { RouteLatency } from './quantiles.ts'
export type { LatencyReport, LatencyTask } from './task.ts'

/** A pool computing latency reports. */
export type LatencyPool = WorkerPool<LatencyTask, LatencyReport>

/** Creates the latency pool (`pool="latency"`). */
export function createLatencyPool(
  options: { size?: number; maxQueue?: number; registry?: Registry } = {},
): LatencyPool {
  return createWorkerPool<LatencyTask, LatencyReport>({
    name: 'latency',
    filename: fileURLToPath(new URL('./worker.cjs', import.meta.url)),
    ...options,
  })
}
