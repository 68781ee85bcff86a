/** @module The process registry, the request and job histograms and the metrics server. */

export { exposeToPrimary, type WorkersMetrics, workersMetrics } from './cluster-worker.ts'
export { JOB_DURATION_BUCKETS, type JobLabel, jobDurationHistogram } from './job-histogram.ts'
export {
  QUEUE_STATES,
  type QueueCollectorOptions,
  registerRedisQueueCollector,
} from './queue-collector.ts'
export { createProcessMetrics, HTTP_DURATION_BUCKETS, type ProcessMetrics } from './registry.ts'
export {
  createMetricsApp,
  type MetricsServerOptions,
  registryMetrics,
  startMetricsServer,
} from './server.ts'
