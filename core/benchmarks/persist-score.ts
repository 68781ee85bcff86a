/**
 * @module
 * Writes a score benchmark run to `score_benchmarks` (migration 0002), where
 * Grafana charts it and the regression check compares it with its history.
 */
import type pg from 'pg'
import type { ScoreBenchmarkResult } from './score-report.ts'
import { INSERT_SCORE_RUN } from './sql.ts'

/** Where a run came from. */
export interface RunOrigin {
  /** The commit measured, when known (a checkout knows it; an image need not). */
  gitCommit: string | null
  /** @defaultValue `node <version>` */
  runtime?: string
}

/** Inserts `result` of `runs` requests per pass; `db`'s search path must hold the table. */
export async function persistScoreRun(
  db: Pick<pg.Pool, 'query'>,
  result: ScoreBenchmarkResult,
  runs: number,
  origin: RunOrigin,
): Promise<void> {
  const { uncached, cached, l1 } = result
  await db.query(INSERT_SCORE_RUN, [
    runs,
    result.target,
    uncached.totalS,
    cached.totalS,
    l1?.totalS ?? null,
    uncached.p50Ms,
    uncached.p95Ms,
    uncached.p99Ms,
    cached.p50Ms,
    cached.p95Ms,
    cached.p99Ms,
    l1?.p50Ms ?? null,
    l1?.p95Ms ?? null,
    l1?.p99Ms ?? null,
    result.speedup,
    origin.gitCommit,
    origin.runtime ?? `node ${process.version}`,
  ])
}
