/**
 * @module
 * The SQL of the regression check, one statement per constant. Each
 * `LATEST_*_RUNS` returns the newest run and the runs before it that share
 * its configuration, newest first: the history a run is compared with.
 */

/**
 * Score runs comparable with the newest: same target, same number of runs.
 * Params: $1 rows to return (the latest plus its window).
 */
export const LATEST_SCORE_RUNS = `
WITH latest AS (
  SELECT id, ran_at, target, runs FROM score_benchmarks ORDER BY ran_at DESC, id DESC LIMIT 1
)
SELECT b.*
FROM score_benchmarks b
JOIN latest l ON b.target = l.target AND b.runs = l.runs
WHERE (b.ran_at, b.id) <= (l.ran_at, l.id)
ORDER BY b.ran_at DESC, b.id DESC
LIMIT $1`

/**
 * Mock-up runs comparable with the newest: same runs, steps, size, execution
 * provider and prompt. Params: $1 rows to return (the latest plus its window).
 */
export const LATEST_MOCKUP_RUNS = `
WITH latest AS (
  SELECT id, ran_at, runs, steps, width, height, provider, prompt
  FROM mockup_benchmarks ORDER BY ran_at DESC, id DESC LIMIT 1
)
SELECT b.*
FROM mockup_benchmarks b
JOIN latest l ON b.runs = l.runs AND b.steps = l.steps AND b.width = l.width
  AND b.height = l.height AND b.provider = l.provider AND b.prompt = l.prompt
WHERE (b.ran_at, b.id) <= (l.ran_at, l.id)
ORDER BY b.ran_at DESC, b.id DESC
LIMIT $1`

/** Whether a table exists on the search path. Params: $1 table name. */
export const TABLE_EXISTS = 'SELECT to_regclass($1) IS NOT NULL AS present'

/**
 * One score benchmark run. Params: $1 runs, $2 target, $3-$5 uncached, cached
 * and L1 totals (s), $6-$14 p50/p95/p99 (ms) of uncached, cached and L1,
 * $15 speedup, $16 git commit, $17 runtime.
 */
export const INSERT_SCORE_RUN = `
INSERT INTO score_benchmarks (runs, target, uncached_total_s, cached_total_s, l1_total_s,
  uncached_p50_ms, uncached_p95_ms, uncached_p99_ms, cached_p50_ms, cached_p95_ms, cached_p99_ms,
  l1_p50_ms, l1_p95_ms, l1_p99_ms, speedup, git_commit, runtime)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`
