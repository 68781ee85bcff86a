/**
 * @module
 * `job_duration_seconds{queue,name,status}`: how long each queue job ran, the
 * jobs' counterpart of `http_request_duration_seconds`. A plain prom-client
 * Histogram (jobs are not a hot path), so under node:cluster the primary sums
 * it like any histogram and needs no aggregator entry.
 */
import { Histogram, type Registry } from 'prom-client'

const JOB_DURATION_METRIC = 'job_duration_seconds'

/** Buckets in seconds: a batch insert takes milliseconds, an image on a CPU minutes. */
export const JOB_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
]

/** Labels of one observation; `status` is `completed` or `failed`. */
export type JobLabel = 'queue' | 'name' | 'status'

/**
 * The registry's `job_duration_seconds`, registered on first use: a process
 * may start several workers (core runs the benchmark worker beside others)
 * and a registry takes each name once.
 */
export function jobDurationHistogram(registry: Registry): Histogram<JobLabel> {
  const registered = registry.getSingleMetric(JOB_DURATION_METRIC)
  if (registered instanceof Histogram) return registered
  return new Histogram({
    name: JOB_DURATION_METRIC,
    help: 'Queue job duration in seconds (one attempt), by queue, job name and status',
    labelNames: ['queue', 'name', 'status'],
    buckets: JOB_DURATION_BUCKETS,
    registers: [registry],
  })
}
