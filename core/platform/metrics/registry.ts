/**
 * @module
 * The per-process prom-client registry: default Node metrics (event-loop lag,
 * heap, GC...) plus the request histogram the profiling middleware feeds.
 */
import { collectDefaultMetrics, Registry } from 'prom-client'
import type { ObserveDuration } from '../../../edge/profiling/index.ts'
import { RequestHistogram } from './request-histogram.ts'

/** Buckets in seconds: sub-millisecond cache hits up to slow analytics queries. */
export const HTTP_DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]

/** A process's metrics: the registry and the request-duration sink. */
export interface ProcessMetrics {
  registry: Registry
  observeRequest: ObserveDuration
}

/** Creates a registry with the default metrics and `http_request_duration_seconds`. */
export function createProcessMetrics(): ProcessMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const httpDuration = new RequestHistogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by service, method, route pattern and status',
    buckets: HTTP_DURATION_BUCKETS,
    registers: [registry],
  })
  const observeRequest: ObserveDuration = (labels, seconds) => httpDuration.observe(labels, seconds)
  return { registry, observeRequest }
}
