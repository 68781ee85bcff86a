/**
 * @module
 * The PostgreSQL metrics store's statements (STYLE.md rule 7). The table comes
 * from migration `0003_metrics.sql`.
 */

/** Params: $1 name, $2 value, $3 tags (jsonb text), $4 at. */
export const INSERT_METRIC = `
INSERT INTO metrics (name, value, tags, at) VALUES ($1, $2, $3::jsonb, $4)`

/** Params: $1 names, $2 values, $3 tags (jsonb texts), $4 times: one array per column. */
export const INSERT_METRICS = `
INSERT INTO metrics (name, value, tags, at)
SELECT * FROM unnest($1::text[], $2::float8[], $3::jsonb[], $4::timestamptz[])`

/**
 * Params: $1 name, $2 from (inclusive), $3 to (exclusive), $4 tag to group by
 * (NULL: one group), $5 tag filter (jsonb object, `{}` for none).
 */
export const AGGREGATE_METRICS = `
SELECT tags ->> $4::text AS "group",
       count(*)::float8 AS count,
       sum(value) AS sum,
       avg(value) AS avg,
       min(value) AS min,
       max(value) AS max,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY value) AS p95
FROM metrics
WHERE name = $1 AND at >= $2 AND at < $3 AND tags @> $5::jsonb
GROUP BY 1
ORDER BY 1 NULLS LAST`
