/**
 * @module
 * The SQL of `benchmarks.history` (edge SQL lives as constants: workerd and
 * Deno Deploy read no files). Keyset pagination on `(ran_at, id)`, newest
 * first, served by the `score_benchmarks_ran_at` index.
 */

/** A row of `score_benchmarks` as the drivers return it (bigint as text). */
export interface BenchmarkRow {
  id: string | number
  ran_at: Date | string
  /** `ran_at` to the microsecond, for the cursor (a JS Date keeps only milliseconds). */
  cursor_at: string
  runs: number
  target: string
  uncached_total_s: number
  cached_total_s: number
  l1_total_s: number | null
  uncached_p50_ms: number
  uncached_p95_ms: number
  uncached_p99_ms: number
  cached_p50_ms: number
  cached_p95_ms: number
  cached_p99_ms: number
  l1_p50_ms: number | null
  l1_p95_ms: number | null
  l1_p99_ms: number | null
  speedup: number
  git_commit: string | null
  runtime: string
}

/**
 * Runs older than a cursor, newest first.
 * Params: $1 cursor ran_at or NULL (first page), $2 cursor id, $3 limit (one
 * more than the page, to know whether another page exists).
 */
export const BENCHMARK_HISTORY_SQL = `SELECT id, ran_at,
  to_char(ran_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
  runs, target,
  uncached_total_s, cached_total_s, l1_total_s,
  uncached_p50_ms, uncached_p95_ms, uncached_p99_ms,
  cached_p50_ms, cached_p95_ms, cached_p99_ms,
  l1_p50_ms, l1_p95_ms, l1_p99_ms,
  speedup, git_commit, runtime
FROM score_benchmarks
WHERE $1::timestamptz IS NULL OR (ran_at, id) < ($1::timestamptz, $2::bigint)
ORDER BY ran_at DESC, id DESC
LIMIT $3`
