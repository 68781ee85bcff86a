-- One row per run of scripts/benchmark_score.ts --persist (and the nightly
-- benchmark_score_job): totals and percentiles per cache tier, so Grafana can
-- chart them and check_regressions can compare a run with its predecessors.
CREATE TABLE score_benchmarks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ran_at timestamptz NOT NULL DEFAULT now(),
  runs integer NOT NULL CHECK (runs > 0),
  target text NOT NULL,
  uncached_total_s double precision NOT NULL,
  cached_total_s double precision NOT NULL,
  l1_total_s double precision,
  uncached_p50_ms double precision NOT NULL,
  uncached_p95_ms double precision NOT NULL,
  uncached_p99_ms double precision NOT NULL,
  cached_p50_ms double precision NOT NULL,
  cached_p95_ms double precision NOT NULL,
  cached_p99_ms double precision NOT NULL,
  l1_p50_ms double precision,
  l1_p95_ms double precision,
  l1_p99_ms double precision,
  speedup double precision NOT NULL,
  git_commit text,
  runtime text NOT NULL
);

CREATE INDEX score_benchmarks_ran_at ON score_benchmarks (ran_at DESC);
