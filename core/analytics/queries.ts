/**
 * @module
 * The analytics SQL, one statement per constant. Every figure is computed by
 * the database (SUM, COUNT ... FILTER, GROUP BY, date_trunc); rows never come
 * back to be summed in JavaScript.
 */
import type { RankingMetric } from '../../edge/analytics/ranking.ts'

const IMPRESSIONS = "count(*) FILTER (WHERE kind = 'impression')"
const CLICKS = "count(*) FILTER (WHERE kind = 'click')"
const PURCHASES = "count(*) FILTER (WHERE kind = 'purchase')"

/**
 * Per-kind counts, revenue and the two rates as SQL over `events`. A rate
 * without a denominator (no impressions, no clicks) is 0, not an error.
 */
const FIGURES = `
  ${IMPRESSIONS} AS impressions,
  ${CLICKS} AS clicks,
  count(*) FILTER (WHERE kind = 'add_to_cart') AS add_to_cart,
  ${PURCHASES} AS purchases,
  coalesce(sum(revenue), 0)::numeric(14, 2) AS revenue,
  round(coalesce(${CLICKS}::numeric / nullif(${IMPRESSIONS}, 0), 0), 6) AS ctr,
  round(coalesce(${PURCHASES}::numeric / nullif(${CLICKS}, 0), 0), 6) AS conversion`

/**
 * Totals of one design over [from, to).
 * Params: $1 design id, $2 from, $3 to, $4 product or NULL (all products).
 */
export const DESIGN_SUMMARY = `
SELECT ${FIGURES}
FROM events
WHERE design_id = $1 AND occurred_at >= $2 AND occurred_at < $3
  AND ($4::text IS NULL OR product = $4::text)`

/**
 * Designs ranked by one figure over [from, to), keyset-paginated: the cursor is
 * the last row's (value, id), and ties are broken by id so pages never overlap.
 * `%ORDER%` is replaced by {@link topDesignsSql} with a whitelisted column.
 * Params: $1 from, $2 to, $3 cursor value or NULL, $4 cursor id or NULL, $5 limit.
 */
const TOP_DESIGNS = `
WITH ranked AS (
  SELECT design_id, ${FIGURES}
  FROM events
  WHERE occurred_at >= $1 AND occurred_at < $2
  GROUP BY design_id
), valued AS (
  SELECT ranked.*, (%ORDER%)::numeric AS value FROM ranked
)
SELECT valued.*, d.slug, d.title
FROM valued JOIN designs d ON d.id = valued.design_id
WHERE $3::numeric IS NULL OR (valued.value, -valued.design_id) < ($3::numeric, -$4::bigint)
ORDER BY valued.value DESC, valued.design_id ASC
LIMIT $5`

/**
 * One design's figures per hour or day (UTC) over [from, to); buckets without events are absent.
 * Params: $1 bucket ('hour' | 'day'), $2 design id, $3 from, $4 to.
 */
export const DESIGN_TIMESERIES = `
SELECT date_trunc($1, occurred_at, 'UTC') AS bucket, ${FIGURES}
FROM events
WHERE design_id = $2 AND occurred_at >= $3 AND occurred_at < $4
GROUP BY 1
ORDER BY 1`

/** Whether a design exists. Params: $1 design id. */
export const DESIGN_EXISTS = 'SELECT 1 FROM designs WHERE id = $1'

/** `TOP_DESIGNS` ranked by `metric` (a whitelisted column name, never user text). */
export const topDesignsSql = (metric: RankingMetric): string =>
  TOP_DESIGNS.replace('%ORDER%', metric)
