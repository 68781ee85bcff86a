/**
 * @module
 * Benchmark automation: the score benchmark engine (it times a running
 * edge's `/score`), the nightly `benchmark_score_job` that runs it against
 * the deployed edge (scheduler and worker), and regression detection over
 * the persisted runs (the pure comparison, the history it reads, the
 * `benchmark_regression` gauge, the table).
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
export { createHttpProbe, type HttpProbe } from './http-probe.ts'
export {
  type LoadPassOptions,
  loadPass,
  type MeasureScoreOptions,
  measureScore,
  type PassProgress,
  type ScoreMeasurement,
  timedPass,
} from './measure-score.ts'
export {
  type CacheClass,
  cacheClass,
  type PassFigures,
  passFigures,
  type TimedAnswer,
} from './pass-figures.ts'
export { persistScoreRun, type RunOrigin } from './persist-score.ts'
export {
  type BenchmarkJobResult,
  type BenchmarkProcessorOptions,
  createBenchmarkProcessor,
  type LiveScoreTarget,
  liveScoreBenchmark,
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
export { KEYS_PER_TOPIC, scoreQueries, scoreUrl } from './score-queries.ts'
export { type ScoreBenchmarkResult, scoreReportLines } from './score-report.ts'
