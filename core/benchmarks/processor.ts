/**
 * @module
 * The `benchmarks` job: time the deployed edge's `/score`
 * ({@link measureScore}, against `BENCHMARK_SCORE_URL` and `BENCHMARK_TOPICS`)
 * and persist the run to `score_benchmarks`. It seeds nothing and starts no
 * process: it measures the service as it is serving.
 */
import { type Job, UnrecoverableError } from 'bullmq'
import type pg from 'pg'
import { type BenchmarkJob, benchmarkJobSchema } from '../platform/queue/index.ts'
import { measureScore } from './measure-score.ts'
import { persistScoreRun } from './persist-score.ts'
import { scoreReportLines } from './score-report.ts'

/** What a benchmark job returns (kept as its `returnvalue`). */
export interface BenchmarkJobResult {
  benchmark: BenchmarkJob['benchmark']
  runs: number
  uncachedS: number
  cachedS: number
  speedup: number
}

/** Runs the score benchmark with `runs` requests per pass and persists it; reports through `log`. */
export type ScoreBenchmarkRunner = (
  runs: number,
  log: (line: string) => void,
) => Promise<{
  uncached: { totalS: number }
  cached: { totalS: number }
  speedup: number
}>

/** The deployed edge the scheduled benchmark measures, and where runs go. */
export interface LiveScoreTarget {
  /** The edge's base URL (`BENCHMARK_SCORE_URL`). */
  url: string
  /** Topics whose keys are requested (`BENCHMARK_TOPICS`). */
  topics: readonly string[]
  /** Holds `score_benchmarks` (core's pool, migrated at start). */
  db: Pick<pg.Pool, 'query'>
}

/** The scheduled runner: measures `target`'s edge, logs the report, persists the run. */
export function liveScoreBenchmark(target: LiveScoreTarget): ScoreBenchmarkRunner {
  return async (runs, log) => {
    const result = await measureScore({ url: target.url, topics: target.topics, runs })
    if (result.alreadyCached) log(`passed over ${result.alreadyCached} keys already cached`)
    for (const line of scoreReportLines(result, runs)) log(line)
    // An image carries no checkout: the run is known by its time and target.
    await persistScoreRun(target.db, result, runs, { gitCommit: null })
    log('persisted to score_benchmarks')
    return result
  }
}

/** Options of {@link createBenchmarkProcessor}. */
export interface BenchmarkProcessorOptions {
  runScore: ScoreBenchmarkRunner
}

/** Builds the processor function a BullMQ worker runs. */
export function createBenchmarkProcessor(
  options: BenchmarkProcessorOptions,
): (job: Job<BenchmarkJob, BenchmarkJobResult>) => Promise<BenchmarkJobResult> {
  return async function processBenchmark(job) {
    const payload = benchmarkJobSchema.safeParse(job.data)
    // A malformed payload fails the same way on every attempt: do not retry it.
    if (!payload.success) {
      throw new UnrecoverableError(`invalid benchmarks payload: ${payload.error.message}`)
    }
    const log = (line: string) => void job.log(line).catch(() => {})
    const result = await options.runScore(payload.data.runs, log)
    return {
      benchmark: payload.data.benchmark,
      runs: payload.data.runs,
      uncachedS: result.uncached.totalS,
      cachedS: result.cached.totalS,
      speedup: result.speedup,
    }
  }
}
