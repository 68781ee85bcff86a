-- Trend signals (signal-ingestion writes them, the score query reads them).
-- dedupe_key makes ingestion idempotent: the client's id, else a hash of the
-- signal's fields; a retried job or a re-POST hits ON CONFLICT DO NOTHING.
CREATE TABLE signals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dedupe_key text NOT NULL,
  topic text NOT NULL,
  product text,
  source text NOT NULL,
  metric text NOT NULL,
  value double precision NOT NULL,
  observed_at timestamptz NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT signals_dedupe_key UNIQUE (dedupe_key),
  CONSTRAINT signals_topic_normalised CHECK (topic = lower(btrim(topic)) AND length(topic) BETWEEN 1 AND 100)
);

-- The score query filters one topic over the last 7 days; INCLUDE lets it read
-- every column it aggregates from the index alone (index-only scan).
CREATE INDEX signals_topic_observed_at ON signals (topic, observed_at DESC)
  INCLUDE (product, source, value);
