/**
 * @module
 * `benchmarks.history`: persisted runs of `benchmark_score` (the
 * `score_benchmarks` table), newest first, a page at a time, read through the
 * edge `SqlClient`. Public: the figures are the platform's own timings.
 */
import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import type { SqlClient } from '../../db/types.ts'
import { encodeKeysetCursor, keysetCursor } from '../../validation/keyset-cursor.ts'
import { publicProcedure, router } from '../trpc.ts'
import { BENCHMARK_HISTORY_SQL, type BenchmarkRow } from './benchmarks-sql.ts'

const percentiles = z.object({ p50Ms: z.number(), p95Ms: z.number(), p99Ms: z.number() })

/** One benchmark run. */
export const benchmarkRunSchema = z.object({
  id: z.number(),
  ranAt: z.string(),
  runs: z.number(),
  target: z.string(),
  runtime: z.string(),
  gitCommit: z.string().nullable(),
  speedup: z.number(),
  uncached: percentiles.extend({ totalS: z.number() }),
  cached: percentiles.extend({ totalS: z.number() }),
  l1: percentiles.extend({ totalS: z.number() }).nullable(),
})

/** `benchmarks.history` output. */
export const benchmarkHistoryOutput = z.object({
  items: z.array(benchmarkRunSchema),
  nextCursor: z.string().nullable(),
})

/** An opaque keyset cursor of `[ranAt, id]`. */
const cursorSchema = keysetCursor((key) => !Number.isNaN(Date.parse(key))).transform(
  ({ key, id }) => ({ ranAt: key, id }),
)

const iso = (value: Date | string) => new Date(value).toISOString()
const l1Of = (row: BenchmarkRow) =>
  row.l1_total_s === null ||
  row.l1_p50_ms === null ||
  row.l1_p95_ms === null ||
  row.l1_p99_ms === null
    ? null
    : { totalS: row.l1_total_s, p50Ms: row.l1_p50_ms, p95Ms: row.l1_p95_ms, p99Ms: row.l1_p99_ms }

function toRun(row: BenchmarkRow): z.infer<typeof benchmarkRunSchema> {
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
      .input(
        z
          .object({
            limit: z.number().int().min(1).max(100).default(20),
            cursor: cursorSchema.optional(),
          })
          .default({ limit: 20 }),
      )
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
          throw new TRPCError({
            code: 'SERVICE_UNAVAILABLE',
            message: 'The benchmark database is unavailable; retry later',
            cause,
          })
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
