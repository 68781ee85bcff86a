/**
 * @module
 * `benchmarks.history`: persisted runs of `benchmark_score` (the
 * `score_benchmarks` table), newest first, a page at a time, read through the
 * edge `SqlClient`. Public: the figures are the platform's own timings.
 */
import { type BenchmarkRun, benchmarkContract } from '../../contracts/benchmarks.ts'
import type { SqlClient } from '../../db/types.ts'
import { DependencyUnavailableError } from '../../errors/index.ts'
import { encodeKeysetCursor } from '../../validation/keyset-cursor.ts'
import { asTrpcError } from '../errors.ts'
import { publicProcedure, router } from '../trpc.ts'
import { BENCHMARK_HISTORY_SQL, type BenchmarkRow } from './benchmarks-sql.ts'

/** One benchmark run. */
export const benchmarkRunSchema = benchmarkContract.run

/** `benchmarks.history` output. */
export const benchmarkHistoryOutput = benchmarkContract.history

const iso = (value: Date | string) => new Date(value).toISOString()
const l1Of = (row: BenchmarkRow) =>
  row.l1_total_s === null ||
  row.l1_p50_ms === null ||
  row.l1_p95_ms === null ||
  row.l1_p99_ms === null
    ? null
    : { totalS: row.l1_total_s, p50Ms: row.l1_p50_ms, p95Ms: row.l1_p95_ms, p99Ms: row.l1_p99_ms }

function toRun(row: BenchmarkRow): BenchmarkRun {
  return {
    id: Number(row.id),
    ranAt: iso(row.ran_at),
    runs: row.runs,
    target: row.target,
    runtime: row.runtime,
    gitCommit: row.git_commit,
    speedup: row.speedup,
    uncached: {
      totalS: row.uncached_total_s,
      p50Ms: row.uncached_p50_ms,
      p95Ms: row.uncached_p95_ms,
      p99Ms: row.uncached_p99_ms,
    },
    cached: {
      totalS: row.cached_total_s,
      p50Ms: row.cached_p50_ms,
      p95Ms: row.cached_p95_ms,
      p99Ms: row.cached_p99_ms,
    },
    l1: l1Of(row),
  }
}

/** The `benchmarks` procedures over `db`. */
export function benchmarksRouter(db: SqlClient) {
  return router({
    history: publicProcedure
      .input(benchmarkContract.historyInput)
      .output(benchmarkHistoryOutput)
      .query(async ({ input }) => {
        let rows: BenchmarkRow[]
        try {
          rows = await db.query<BenchmarkRow>(BENCHMARK_HISTORY_SQL, [
            input.cursor?.ranAt ?? null,
            input.cursor?.id ?? null,
            input.limit + 1,
          ])
        } catch (cause) {
          throw asTrpcError(
            new DependencyUnavailableError(
              'database',
              'The benchmark database is unavailable; retry later',
              { cause },
            ),
          )
        }
        const page = rows.slice(0, input.limit)
        const last = page.at(-1)
        return {
          items: page.map(toRun),
          nextCursor:
            rows.length > input.limit && last
              ? encodeKeysetCursor(last.cursor_at, Number(last.id))
              : null,
        }
      }),
  })
}
