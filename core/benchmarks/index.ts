/**
 * @module
 * Benchmark automation: the nightly `benchmark_score_job` (scheduler and
 * worker), and regression detection over the persisted runs (the pure
 * comparison, the history it reads, the `benchmark_regression` gauge, the table).
 */
export {
  BENCHMARKS,
  type BenchmarkDefinition,
  type Better,
  type FigureDefinition,
  MOCKUP_BENCHMARK,
  SCORE_BENCHMARK,
} from './figures.ts'
export {
  REGRESSION_METRIC,
  type RegressionGaugeOptions,
  registerBenchmarkRegressionGauge,
  regressionTextfile,
} from './gauge.ts'
export { type BenchmarkCheck, checkRegressions, comparisonsOf } from './history.ts'
export {
  type BenchmarkJobResult,
  type BenchmarkProcessorOptions,
  createBenchmarkProcessor,
  persistedScoreBenchmark,
  type ScoreBenchmarkRunner,
} from './processor.ts'
export {
  compareFigure,
  compareRun,
  type FigureComparison,
  type LabelledComparison,
  REGRESSION_DEFAULTS,
  type RegressionOptions,
  type RunRow,
  type Verdict,
} from './regression.ts'
export { formatRegressionTable } from './report.ts'
export {
  BENCHMARK_SCHEDULER_ID,
  type BenchmarkScheduler,
  type BenchmarkSchedulerOptions,
  DEFAULT_BENCHMARK_CRON,
  startBenchmarkScheduler,
} from './scheduler.ts'
