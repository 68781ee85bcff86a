/** @module The optimization service: experiment routes over the metrics store. */
export { type ExperimentRoutesOptions, experimentRoutes } from './routes.ts'
export * from './store/index.ts'
export {
  EXPERIMENT_TAG,
  experimentParamSchema,
  MAX_METRICS_PER_REQUEST,
  type MetricInput,
  metricInputSchema,
  summaryQuerySchema,
  VARIANT_TAG,
  validateMetricBatch,
} from './validate.ts'
