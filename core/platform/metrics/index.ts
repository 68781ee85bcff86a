/** @module The process registry, the request histogram and the metrics server. */
export { createProcessMetrics, HTTP_DURATION_BUCKETS, type ProcessMetrics } from './registry.ts'
export {
  createMetricsApp,
  type MetricsServerOptions,
  registryMetrics,
  startMetricsServer,
} from './server.ts'
