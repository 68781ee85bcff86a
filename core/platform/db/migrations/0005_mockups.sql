-- Mock-up jobs: core writes the row when a job is submitted, the GPU worker
-- moves it through running to completed or failed. The row is the record of
-- what was generated (prompt, seed, steps, provider, stage timings, images).
CREATE TABLE mockups (
  id uuid PRIMARY KEY,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  prompt text NOT NULL CHECK (length(prompt) BETWEEN 1 AND 500),
  product text NOT NULL,
  seed bigint NOT NULL,
  steps integer NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  provider text,
  timings jsonb,
  png_key text,
  webp_key text,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  submitted_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);

-- GET /mockups lists the newest first with keyset pagination.
CREATE INDEX mockups_created_at ON mockups (created_at DESC, id DESC);

-- One row per run of scripts/benchmark_mockup.ts --persist: per-stage medians.
CREATE TABLE mockup_benchmarks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ran_at timestamptz NOT NULL DEFAULT now(),
  runs integer NOT NULL CHECK (runs > 0),
  steps integer NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  provider text NOT NULL,
  prompt text NOT NULL,
  total_p50_ms double precision NOT NULL,
  tokenize_ms double precision NOT NULL,
  text_encoder_ms double precision NOT NULL,
  unet_ms double precision NOT NULL,
  vae_ms double precision NOT NULL,
  composite_ms double precision NOT NULL,
  encode_ms double precision NOT NULL,
  git_commit text,
  runtime text NOT NULL
);

CREATE INDEX mockup_benchmarks_ran_at ON mockup_benchmarks (ran_at DESC);
