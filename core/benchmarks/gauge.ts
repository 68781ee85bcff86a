/**
 * @module
 * `benchmark_regression{benchmark,figure}`: 1 while the latest persisted run
 * of a benchmark regressed on a figure, 0 otherwise (insufficient history
 * included: too few runs is not a failure). The alert `BenchmarkRegression`
 * (deploy/prometheus) and the Grafana benchmark dashboard read it.
 */
import type pg from 'pg'
import { Gauge, Registry } from 'prom-client'
import type { Logger } from '../platform/logger.ts'
import { checkRegressions, comparisonsOf } from './history.ts'
import type { LabelledComparison, RegressionOptions } from './regression.ts'

/** The gauge's name. */
export const REGRESSION_METRIC = 'benchmark_regression'

type RegressionGauge = Gauge<'benchmark' | 'figure'>

function createGauge(registry: Registry, collect?: () => Promise<void>): RegressionGauge {
  return new Gauge({
    name: REGRESSION_METRIC,
    help: '1 while the latest run of a benchmark is worse on a figure than the median of its previous runs by more than their spread',
    labelNames: ['benchmark', 'figure'] as const,
    registers: [registry],
    // Every core worker reads the same rows: the cluster view is any one of them.
    aggregator: 'max',
    ...(collect ? { collect } : {}),
  })
}

function setAll(gauge: RegressionGauge, comparisons: readonly LabelledComparison[]): void {
  gauge.reset()
  for (const c of comparisons) {
    gauge.set({ benchmark: c.benchmark, figure: c.figure }, c.verdict === 'regressed' ? 1 : 0)
  }
}

/**
 * The comparisons as a Prometheus text file, for node_exporter's textfile
 * collector (`scripts/check_regressions.ts --textfile`).
 */
export async function regressionTextfile(
  comparisons: readonly LabelledComparison[],
): Promise<string> {
  const registry = new Registry()
  setAll(createGauge(registry), comparisons)
  return registry.metrics()
}

/** Options of {@link registerBenchmarkRegressionGauge}. */
export interface RegressionGaugeOptions {
  /** Where `score_benchmarks` and `mockup_benchmarks` are. */
  db: Pick<pg.Pool, 'query'>
  regression?: RegressionOptions
  /** How long one reading of the tables serves scrapes. @defaultValue 60000 */
  refreshMs?: number
  logger?: Logger
}

/**
 * Exports the gauge on `registry`, read from the database at scrape time
 * (at most once per `refreshMs`: runs land nightly, scrapes come every few
 * seconds). While the tables cannot be read the series are absent, not 0.
 */
export function registerBenchmarkRegressionGauge(
  registry: Registry,
  options: RegressionGaugeOptions,
): void {
  const refreshMs = options.refreshMs ?? 60_000
  let readAt = Number.NEGATIVE_INFINITY
  let last: LabelledComparison[] = []
  const gauge = createGauge(registry, async () => {
    if (performance.now() - readAt >= refreshMs) {
      try {
        last = comparisonsOf(await checkRegressions(options.db, options.regression))
        readAt = performance.now()
      } catch (err) {
        options.logger?.warn({ err: (err as Error).message }, 'benchmark history unreadable')
        last = []
        readAt = Number.NEGATIVE_INFINITY
      }
    }
    setAll(gauge, last)
  })
}
