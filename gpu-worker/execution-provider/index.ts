/** @module What the GPU worker's models run on: the verdict, its gauge and its readiness check. */
export { registerExecutionProviderGauge } from './metrics.ts'
export {
  modelProviders,
  type ProviderLogger,
  type ProviderReport,
  type ReportOptions,
  reportExecutionProviders,
} from './report.ts'
export {
  judgeExecutionProviders,
  type ModelProviders,
  type ProviderInputs,
  type ProviderVerdict,
} from './verdict.ts'
