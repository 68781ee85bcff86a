/**
 * @module
 * The one aggregation query behind a score. Edge SQL lives as TypeScript
 * constants: workerd and Deno Deploy read no files.
 *
 * Params: $1 topic (normalised), $2 product or NULL, $3 now (timestamptz).
 * With a product, that product's signals and the product-agnostic ones count.
 * The window is the 7 days up to now: the last 24 hours are "recent", the rest
 * "baseline". Whole UTC hours inside the window and on one side of the
 * 24-hour boundary are read from `signal_hourly` (migration 0010); the partial
 * hours (the window's first hour, the hour holding the 24-hour boundary, the
 * current hour) from `signals` through `signals_topic_observed_at`
 * (index-only: the index INCLUDEs product, source and value). The rollup keeps
 * the source in its key, so `sources` is distinct across both parts.
 */

const NOW = '$3::timestamptz'
const WINDOW_START = `${NOW} - interval '7 days'`
const RECENT_START = `${NOW} - interval '24 hours'`
/** The first whole hour after the window's start. */
const FIRST_HOUR = `date_trunc('hour', ${WINDOW_START}, 'UTC') + interval '1 hour'`
/** The hour holding the 24-hour boundary: partly baseline, partly recent. */
const SPLIT_HOUR = `date_trunc('hour', ${RECENT_START}, 'UTC')`
/** The current, unfinished hour. */
const CURRENT_HOUR = `date_trunc('hour', ${NOW}, 'UTC')`
const PRODUCT_MATCHES = '($2::text IS NULL OR product = $2::text OR product IS NULL)'

/** Raw signals of the topic with `observed_at` in one range (both bounds written out). */
const rawRange = (range: string) => `
  SELECT observed_at > ${RECENT_START}, source, 1, value, observed_at
  FROM signals
  WHERE topic = $1 AND ${range} AND ${PRODUCT_MATCHES}`

export const SCORE_SQL = `
WITH parts (recent, source, signals, value_sum, last_observed_at) AS (
  SELECT hour > ${SPLIT_HOUR}, source, signals, value_sum, last_observed_at
  FROM signal_hourly
  WHERE topic = $1
    AND hour >= ${FIRST_HOUR} AND hour < ${CURRENT_HOUR} AND hour <> ${SPLIT_HOUR}
    AND ${PRODUCT_MATCHES}
  UNION ALL ${rawRange(`observed_at > ${WINDOW_START} AND observed_at < ${FIRST_HOUR}`)}
  UNION ALL ${rawRange(`observed_at >= ${SPLIT_HOUR} AND observed_at < ${SPLIT_HOUR} + interval '1 hour'`)}
  UNION ALL ${rawRange(`observed_at >= ${CURRENT_HOUR} AND observed_at <= ${NOW}`)}
)
SELECT
  coalesce(sum(signals) FILTER (WHERE recent), 0)::int AS recent_count,
  coalesce(sum(value_sum) FILTER (WHERE recent), 0)::float8 AS recent_sum,
  coalesce(sum(signals) FILTER (WHERE NOT recent), 0)::int AS baseline_count,
  coalesce(sum(value_sum) FILTER (WHERE NOT recent), 0)::float8 AS baseline_sum,
  count(DISTINCT source)::int AS sources,
  max(last_observed_at) AS last_observed_at
FROM parts`

/** A row of {@link SCORE_SQL} as drivers return it (numbers may arrive as strings). */
export interface ScoreRow {
  recent_count: number | string
  recent_sum: number | string
  baseline_count: number | string
  baseline_sum: number | string
  sources: number | string
  last_observed_at: Date | string | null
}
