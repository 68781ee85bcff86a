/**
 * @module
 * The `benchmarks` job: run `scripts/benchmark_score.ts`'s `main` (its own
 * edge processes on its own `bench_score` schema, so the serving stack's
 * data and cache are untouched) and persist the run to `score_benchmarks`.
 */
import { type Job, UnrecoverableError } from 'bullmq'
import { type BenchmarkJob, benchmarkJobSchema } from '../platform/queue/index.ts'

/** What a benchmark job returns (kept as its `returnvalue`). */
export interface BenchmarkJobResult {
  benchmark: BenchmarkJob['benchmark']
  runs: number
  uncachedS: number
  cachedS: number
  speedup: number
}

/** Runs the score benchmark with `runs` requests per pass and persists it. */
export type ScoreBenchmarkRunner = (runs: number) => Promise<{
  uncached: { totalS: number }
  cached: { totalS: number }
  speedup: number
}>

/** Options of {@link createBenchmarkProcessor}. */
export interface BenchmarkProcessorOptions {
  /** @defaultValue {@link persistedScoreBenchmark} */
  runScore?: ScoreBenchmarkRunner
}

/**
 * The real runner: `main` of scripts/benchmark_score.ts with `--persist`.
 * Imported when a job runs, so a process that never benchmarks never loads it.
 */
export function persistedScoreBenchmark(log: (line: string) => void): ScoreBenchmarkRunner {
  return async (runs) => {
    const { main } = await import('../../scripts/benchmark_score.ts')
    return main({ runs, persist: true, log })
  }
}

/** Builds the processor function a BullMQ worker runs. */
export function createBenchmarkProcessor(
  options: BenchmarkProcessorOptions = {},
): (job: Job<BenchmarkJob, BenchmarkJobResult>) => Promise<BenchmarkJobResult> {
  return async function processBenchmark(job) {
    const payload = benchmarkJobSchema.safeParse(job.data)
    // A malformed payload fails the same way on every attempt: do not retry it.
    if (!payload.success) {
      throw new UnrecoverableError(`invalid benchmarks payload: ${payload.error.message}`)
    }
    const runScore =
      options.runScore ?? persistedScoreBenchmark((line) => void job.log(line).catch(() => {}))
    const result = await runScore(payload.data.runs)
    return {
      benchmark: payload.data.benchmark,
      runs: payload.data.runs,
      uncachedS: result.uncached.totalS,
      cachedS: result.cached.totalS,
      speedup: result.speedup,
    }
  }
}
