/**
 * @module
 * The analytics SQL, one statement per constant. Every figure is computed by
 * the database (SUM, COUNT ... FILTER, GROUP BY, date_trunc); rows never come
 * back to be summed in JavaScript.
 *
 * A period [from, to) is read in three parts: its whole UTC days from the
 * `event_daily` totals (migration 0006, kept by a trigger), and the partial
 * days before the first midnight and after the last one from `events`. A
 * period within one day is read from `events` alone. Hourly buckets always
 * read `events`.
 */
import type { RankingMetric } from '../../edge/analytics/ranking.ts'

/** Per-kind counts and revenue of `events` rows. */
const EVENT_SUMS = `
  count(*) FILTER (WHERE kind = 'impression') AS impressions,
  count(*) FILTER (WHERE kind = 'click') AS clicks,
  count(*) FILTER (WHERE kind = 'add_to_cart') AS add_to_cart,
  count(*) FILTER (WHERE kind = 'purchase') AS purchases,
  sum(revenue) AS revenue`

/** The same sums over `event_daily` rows. */
const DAILY_SUMS = `
  sum(impressions) AS impressions,
  sum(clicks) AS clicks,
  sum(add_to_cart) AS add_to_cart,
  sum(purchases) AS purchases,
  sum(revenue) AS revenue`

/**
 * The reported figures over rows holding those sums. A rate without a
 * denominator (no impressions, no clicks) is 0, not an error.
 */
const FIGURES = `
  coalesce(sum(impressions), 0)::bigint AS impressions,
  coalesce(sum(clicks), 0)::bigint AS clicks,
  coalesce(sum(add_to_cart), 0)::bigint AS add_to_cart,
  coalesce(sum(purchases), 0)::bigint AS purchases,
  coalesce(sum(revenue), 0)::numeric(14, 2) AS revenue,
  round(coalesce(sum(clicks)::numeric / nullif(sum(impressions), 0), 0), 6) AS ctr,
  round(coalesce(sum(purchases)::numeric / nullif(sum(clicks), 0), 0), 6) AS conversion`

/** What {@link periodParts} reads: the period's parameters, a row filter and the grouping. */
interface PeriodPartsOptions {
  /** Parameter holding the period's start, e.g. `$2`. */
  from: string
  /** Parameter holding the period's end (exclusive). */
  to: string
  /** A condition on columns both tables have (`design_id`, `product`). */
  where: string
  /** Grouping key per table, or none for one row of totals. */
  key?: { name: string; daily: string; events: string }
}

/**
 * Rows of sums (`key`, then {@link EVENT_SUMS}' columns) for [from, to):
 * whole days from `event_daily`, the head (from to the first midnight, or to
 * `to`) and the tail (the last midnight to `to`) from `events`. The three
 * ranges never overlap; each part can be read by its index.
 */
function periodParts({ from, to, where, key }: PeriodPartsOptions): string {
  // The first UTC midnight at or after `from`, and the last at or before `to`.
  const firstMidnight = `(date_trunc('day', ${from}::timestamptz - interval '1 microsecond', 'UTC') + interval '1 day')`
  const lastMidnight = `date_trunc('day', ${to}::timestamptz, 'UTC')`
  const headEnd = `least(${firstMidnight}, ${to}::timestamptz)`
  const select = (table: 'daily' | 'events') =>
    key ? `SELECT ${key[table]} AS ${key.name},` : 'SELECT'
  const groupBy = key ? 'GROUP BY 1' : ''
  const edge = (start: string, end: string) => `
  ${select('events')} ${EVENT_SUMS}
  FROM events
  WHERE ${where} AND occurred_at >= ${start} AND occurred_at < ${end}
  ${groupBy}`
  return `
  ${select('daily')} ${DAILY_SUMS}
  FROM event_daily
  WHERE ${where}
    AND day >= (${firstMidnight} AT TIME ZONE 'UTC')::date
    AND day < (${lastMidnight} AT TIME ZONE 'UTC')::date
  ${groupBy}
  UNION ALL ${edge(`${from}::timestamptz`, headEnd)}
  UNION ALL ${edge(`greatest(${lastMidnight}, ${headEnd})`, `${to}::timestamptz`)}`
}

/**
 * Totals of one design over [from, to).
 * Params: $1 design id, $2 from, $3 to, $4 product or NULL (all products).
 */
export const DESIGN_SUMMARY = `
SELECT ${FIGURES}
FROM (${periodParts({
  from: '$2',
  to: '$3',
  where: 'design_id = $1 AND ($4::text IS NULL OR product = $4::text)',
})}
) parts`

/**
 * Designs ranked by one figure over [from, to), keyset-paginated: the cursor is
 * the last row's (value, id), and ties are broken by id so pages never overlap.
 * `%ORDER%` is replaced by {@link topDesignsSql} with a whitelisted column.
 * Params: $1 from, $2 to, $3 cursor value or NULL, $4 cursor id or NULL, $5 limit.
 */
const TOP_DESIGNS = `
WITH ranked AS (
  SELECT design_id, ${FIGURES}
  FROM (${periodParts({
    from: '$1',
    to: '$2',
    where: 'true',
    key: { name: 'design_id', daily: 'design_id', events: 'design_id' },
  })}
  ) parts
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
 * One design's figures per UTC day over [from, to); days without events are absent.
 * Params: $1 design id, $2 from, $3 to.
 */
export const DESIGN_DAILY_SERIES = `
SELECT bucket, ${FIGURES}
FROM (${periodParts({
  from: '$2',
  to: '$3',
  where: 'design_id = $1',
  key: {
    name: 'bucket',
    daily: "day::timestamp AT TIME ZONE 'UTC'",
    events: "date_trunc('day', occurred_at, 'UTC')",
  },
})}
) parts
GROUP BY bucket
ORDER BY bucket`

/**
 * One design's figures per UTC hour over [from, to); hours without events are absent.
 * Params: $1 design id, $2 from, $3 to.
 */
export const DESIGN_HOURLY_SERIES = `
SELECT bucket, ${FIGURES}
FROM (
  SELECT date_trunc('hour', occurred_at, 'UTC') AS bucket, ${EVENT_SUMS}
  FROM events
  WHERE design_id = $1 AND occurred_at >= $2 AND occurred_at < $3
  GROUP BY 1
) parts
GROUP BY bucket
ORDER BY bucket`

/** Whether a design exists. Params: $1 design id. */
export const DESIGN_EXISTS = 'SELECT 1 FROM designs WHERE id = $1'

/** `TOP_DESIGNS` ranked by `metric` (a whitelisted column name, never user text). */
export const topDesignsSql = (metric: RankingMetric): string =>
  TOP_DESIGNS.replace('%ORDER%', metric)
