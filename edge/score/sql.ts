/**
 * @module
 * The one aggregation query behind a score. Edge SQL lives as TypeScript
 * constants: workerd and Deno Deploy read no files.
 *
 * Params: $1 topic (normalised), $2 product or NULL, $3 now (timestamptz).
 * With a product, that product's signals and the product-agnostic ones count.
 * Reads the 7-day window of one topic from `signals_topic_observed_at`
 * (index-only: the index INCLUDEs product, source and value).
 */
export const SCORE_SQL = `
SELECT
  count(*) FILTER (WHERE observed_at > $3::timestamptz - interval '24 hours')::int AS recent_count,
  coalesce(sum(value) FILTER (WHERE observed_at > $3::timestamptz - interval '24 hours'), 0)::float8 AS recent_sum,
  count(*) FILTER (WHERE observed_at <= $3::timestamptz - interval '24 hours')::int AS baseline_count,
  coalesce(sum(value) FILTER (WHERE observed_at <= $3::timestamptz - interval '24 hours'), 0)::float8 AS baseline_sum,
  count(DISTINCT source)::int AS sources,
  max(observed_at) AS last_observed_at
FROM signals
WHERE topic = $1
  AND observed_at > $3::timestamptz - interval '7 days'
  AND observed_at <= $3::timestamptz
  AND ($2::text IS NULL OR product = $2::text OR product IS NULL)`

/** A row of {@link SCORE_SQL} as drivers return it (numbers may arrive as strings). */
export interface ScoreRow {
  recent_count: number | string
  recent_sum: number | string
  baseline_count: number | string
  baseline_sum: number | string
  sources: number | string
  last_observed_at: Date | string | null
}
