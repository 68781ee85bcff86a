/**
 * @module
 * The benchmarks whose persisted runs are checked for regressions, and the
 * figures of each: which column, in which unit, and which way is better.
 */
import { LATEST_MOCKUP_RUNS, LATEST_SCORE_RUNS } from './sql.ts'

/** Which direction of change is an improvement. */
export type Better = 'lower' | 'higher'

/** One compared figure of a benchmark. */
export interface FigureDefinition {
  /** The `figure` label of `benchmark_regression`. */
  figure: string
  /** Column of the benchmark's table. */
  column: string
  unit: 's' | 'ms' | 'x'
  better: Better
}

/** A persisted benchmark. */
export interface BenchmarkDefinition {
  /** The `benchmark` label of `benchmark_regression`. */
  benchmark: 'score' | 'mockup'
  table: 'score_benchmarks' | 'mockup_benchmarks'
  /**
   * The newest run and the previous runs of the same configuration (100 runs
   * are not compared with 10, nor a CPU mock-up with a GPU one), newest first.
   * Params: $1 rows to return.
   */
  latestRunsSql: string
  figures: readonly FigureDefinition[]
}

/** `score_benchmarks` (scripts/benchmark_score.ts): totals per cache tier, tails, speed-up. */
export const SCORE_BENCHMARK: BenchmarkDefinition = {
  benchmark: 'score',
  table: 'score_benchmarks',
  latestRunsSql: LATEST_SCORE_RUNS,
  figures: [
    { figure: 'uncached', column: 'uncached_total_s', unit: 's', better: 'lower' },
    { figure: 'cached', column: 'cached_total_s', unit: 's', better: 'lower' },
    { figure: 'l1', column: 'l1_total_s', unit: 's', better: 'lower' },
    { figure: 'uncached_p95', column: 'uncached_p95_ms', unit: 'ms', better: 'lower' },
    { figure: 'cached_p95', column: 'cached_p95_ms', unit: 'ms', better: 'lower' },
    { figure: 'speedup', column: 'speedup', unit: 'x', better: 'higher' },
  ],
}

/** `mockup_benchmarks` (scripts/benchmark_mockup.ts): the median total and each stage. */
export const MOCKUP_BENCHMARK: BenchmarkDefinition = {
  benchmark: 'mockup',
  table: 'mockup_benchmarks',
  latestRunsSql: LATEST_MOCKUP_RUNS,
  figures: [
    { figure: 'total', column: 'total_p50_ms', unit: 'ms', better: 'lower' },
    { figure: 'tokenize', column: 'tokenize_ms', unit: 'ms', better: 'lower' },
    { figure: 'text_encoder', column: 'text_encoder_ms', unit: 'ms', better: 'lower' },
    { figure: 'unet', column: 'unet_ms', unit: 'ms', better: 'lower' },
    { figure: 'vae', column: 'vae_ms', unit: 'ms', better: 'lower' },
    { figure: 'composite', column: 'composite_ms', unit: 'ms', better: 'lower' },
    { figure: 'encode', column: 'encode_ms', unit: 'ms', better: 'lower' },
  ],
}

/** Every checked benchmark. */
export const BENCHMARKS: readonly BenchmarkDefinition[] = [SCORE_BENCHMARK, MOCKUP_BENCHMARK]
