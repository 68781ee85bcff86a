-- Hourly totals of signals per topic, product, source and UTC hour (issue
-- #25), kept by the database in the same transaction as the insert, like
-- event_daily: the score reads whole hours here and only the partial hours at
-- its windows' edges from `signals` (edge/score/sql.ts). The source stays in
-- the key so `count(DISTINCT source)` is answered from these rows. The tenant
-- is not: a score counts every tenant's signals.
--
-- product is NULL for product-agnostic signals: NULLS NOT DISTINCT makes NULL
-- one key value, so ON CONFLICT finds their row. The key's index INCLUDEs the
-- totals: the score reads a topic's hours from the index alone (index-only),
-- as it reads the raw rows from signals_topic_observed_at.
CREATE TABLE signal_hourly (
  topic text NOT NULL,
  hour timestamptz NOT NULL,
  product text,
  source text NOT NULL,
  signals bigint NOT NULL,
  value_sum double precision NOT NULL,
  last_observed_at timestamptz NOT NULL,
  CONSTRAINT signal_hourly_key UNIQUE NULLS NOT DISTINCT (topic, hour, product, source)
    INCLUDE (signals, value_sum, last_observed_at)
);

-- The statement adding a set of signals (a table or a trigger's transition
-- table) to the totals: summed per key, then added in, sorted so concurrent
-- statements lock the same rows in the same order (no deadlock). Only rows
-- really inserted reach a transition table: ON CONFLICT DO NOTHING's skipped
-- duplicates are not counted.
CREATE FUNCTION signal_hourly_add_sql(source text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
SELECT format($f$
  INSERT INTO signal_hourly AS h
  SELECT topic, date_trunc('hour', observed_at, 'UTC'), product, source,
    count(*), sum(value), max(observed_at)
  FROM %I
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (topic, hour, product, source) DO UPDATE SET
    signals = h.signals + excluded.signals,
    value_sum = h.value_sum + excluded.value_sum,
    last_observed_at = greatest(h.last_observed_at, excluded.last_observed_at)$f$, source)
$$;

-- One statement's new signals, whoever inserts them (ingestion, seeding,
-- tests). SET search_path: the trigger runs with the schema it was created in.
CREATE FUNCTION signal_hourly_add() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  EXECUTE signal_hourly_add_sql('inserted');
  RETURN NULL;
END $$;

CREATE TRIGGER signals_add_hourly AFTER INSERT ON signals
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION signal_hourly_add();

-- Nothing updates or deletes signals, and the totals could not follow (a max
-- does not subtract): refuse it rather than let scores drift. A retention job
-- would lift this and delete whole hours from both tables together.
CREATE FUNCTION signals_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'signals are append-only (signal_hourly sums them): % is not allowed', TG_OP
    USING ERRCODE = 'feature_not_supported';
END $$;

CREATE TRIGGER signals_append_only BEFORE UPDATE OR DELETE ON signals
  FOR EACH STATEMENT EXECUTE FUNCTION signals_append_only();

-- DELETE, not TRUNCATE: `TRUNCATE signals, signal_hourly` has signal_hourly in use.
CREATE FUNCTION signal_hourly_clear() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM signal_hourly;
  RETURN NULL;
END $$;

CREATE TRIGGER signals_truncate_hourly AFTER TRUNCATE ON signals
  FOR EACH STATEMENT EXECUTE FUNCTION signal_hourly_clear();

-- The signals already there. One transaction with the trigger: CREATE
-- TRIGGER's lock holds inserts back until this commits, so no signal is
-- missed or counted twice.
DO $$ BEGIN EXECUTE signal_hourly_add_sql('signals'); END $$;
