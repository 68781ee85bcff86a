-- Signals the database refused (SQLSTATE classes 22 and 23) although they
-- passed validation: the ingestion worker writes the rest of their batch and
-- keeps each of these here for an operator (GET /signals/rejected). reason is
-- a fixed message per SQLSTATE class, never the database's own text.
-- UNIQUE (job_id, dedupe_key): a retried job records each refusal once.
CREATE TABLE rejected_signals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id text NOT NULL,
  dedupe_key text NOT NULL,
  payload jsonb NOT NULL,
  sqlstate text NOT NULL CHECK (sqlstate ~ '^[0-9A-Z]{5}$'),
  reason text NOT NULL,
  rejected_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT rejected_signals_job_key UNIQUE (job_id, dedupe_key)
);
