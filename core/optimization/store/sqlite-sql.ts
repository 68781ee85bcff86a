/**
 * @module
 * The SQLite metrics store's statements (STYLE.md rule 7). Times are stored as
 * epoch milliseconds; tags as JSON text. SQLite has no `percentile_cont`, so
 * {@link AGGREGATE_METRICS} computes the same interpolation with window
 * functions: the row at position `h = p * (n - 1)` of the sorted values, plus
 * the fraction of `h` times the gap to the next row.
 */

/** Creates the table and its index when missing (the SQLite store has no migration runner). */
export const CREATE_METRICS = `
CREATE TABLE IF NOT EXISTS metrics (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
  value REAL NOT NULL,
  tags TEXT NOT NULL DEFAULT '{}' CHECK (json_type(tags) = 'object'),
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS metrics_name_at ON metrics (name, at);`

/** Params: @name, @value, @tags (JSON text), @at (epoch ms). */
export const INSERT_METRIC = `
INSERT INTO metrics (name, value, tags, at) VALUES (@name, @value, @tags, @at)`

/**
 * Params: @name, @from (inclusive, epoch ms), @to (exclusive), @groupBy (tag
 * key or NULL for one group), @where (JSON object of tags every row must carry).
 * Tag keys are checked against `TAG_KEY` before they reach a JSON path.
 */
export const AGGREGATE_METRICS = `
WITH filtered AS (
  SELECT CASE WHEN @groupBy IS NULL THEN NULL
              ELSE json_extract(m.tags, '$."' || @groupBy || '"') END AS grp,
         m.value
  FROM metrics AS m
  WHERE m.name = @name AND m.at >= @from AND m.at < @to
    AND NOT EXISTS (
      SELECT 1 FROM json_each(@where) AS w
      WHERE json_extract(m.tags, '$."' || w.key || '"') IS NOT w.value
    )
),
ranked AS (
  SELECT grp, value,
         row_number() OVER (PARTITION BY grp ORDER BY value) - 1 AS rn,
         count(*) OVER (PARTITION BY grp) - 1 AS last
  FROM filtered
),
picked AS (
  SELECT grp,
         count(*) AS count, sum(value) AS sum, avg(value) AS avg,
         min(value) AS min, max(value) AS max,
         max(last) * 0.5 AS h50, max(last) * 0.95 AS h95,
         max(CASE WHEN rn = CAST(last * 0.5 AS INTEGER) THEN value END) AS lo50,
         max(CASE WHEN rn = CAST(last * 0.5 AS INTEGER) + 1 THEN value END) AS hi50,
         max(CASE WHEN rn = CAST(last * 0.95 AS INTEGER) THEN value END) AS lo95,
         max(CASE WHEN rn = CAST(last * 0.95 AS INTEGER) + 1 THEN value END) AS hi95
  FROM ranked
  GROUP BY grp
)
SELECT grp AS "group", count, sum, avg, min, max,
       lo50 + (h50 - CAST(h50 AS INTEGER)) * (coalesce(hi50, lo50) - lo50) AS p50,
       lo95 + (h95 - CAST(h95 AS INTEGER)) * (coalesce(hi95, lo95) - lo95) AS p95
FROM picked
ORDER BY grp IS NULL, grp`
