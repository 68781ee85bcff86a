-- Experiment metrics of the optimization service (MetricsStore, PostgreSQL
-- backend): one row per sample. Tags are a flat string map (variant, experiment).
CREATE TABLE metrics (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  value double precision NOT NULL,
  tags jsonb NOT NULL DEFAULT '{}'::jsonb,
  at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT metrics_name_length CHECK (length(name) BETWEEN 1 AND 128),
  CONSTRAINT metrics_tags_object CHECK (jsonb_typeof(tags) = 'object')
);

-- Summaries read one metric over a time window and filter it by tags
-- (tags @> '{"experiment": "..."}') on the rows of that window. No GIN index
-- on tags: it cost about a quarter of the batched insert rate, and a summary
-- reads one metric's window anyway.
CREATE INDEX metrics_name_at ON metrics (name, at);
