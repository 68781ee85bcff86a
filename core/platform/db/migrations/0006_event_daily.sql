-- Daily totals per design and product (UTC days), kept by the database in the
-- same transaction as the events, so a summary or ranking over whole days
-- reads one row per design, product and day instead of every event. Partial
-- days at a period's edges are still summed from events
-- (core/analytics/queries.ts). Events are facts: append-only, so the totals
-- only ever grow; TRUNCATE events empties both (name event_daily in the same
-- TRUNCATE when designs is truncated too: it references designs).
CREATE TABLE event_daily (
  design_id bigint NOT NULL REFERENCES designs (id),
  day date NOT NULL,
  product text NOT NULL,
  impressions bigint NOT NULL,
  clicks bigint NOT NULL,
  add_to_cart bigint NOT NULL,
  purchases bigint NOT NULL,
  revenue numeric(14, 2) NOT NULL,
  PRIMARY KEY (design_id, day, product)
);

-- Top designs over a period: every design's days in a range, index-only.
CREATE INDEX event_daily_day ON event_daily (day)
  INCLUDE (design_id, impressions, clicks, add_to_cart, purchases, revenue);

-- The statement adding a set of events (a table or a trigger's transition
-- table) to the totals: summed per design, day and product, then added in,
-- sorted so concurrent statements lock the same rows in the same order.
CREATE FUNCTION event_daily_add_sql(source text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
SELECT format($f$
  INSERT INTO event_daily AS d
  SELECT design_id, (occurred_at AT TIME ZONE 'UTC')::date, product,
    count(*) FILTER (WHERE kind = 'impression'),
    count(*) FILTER (WHERE kind = 'click'),
    count(*) FILTER (WHERE kind = 'add_to_cart'),
    count(*) FILTER (WHERE kind = 'purchase'),
    coalesce(sum(revenue), 0)
  FROM %I
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT (design_id, day, product) DO UPDATE SET
    impressions = d.impressions + excluded.impressions,
    clicks = d.clicks + excluded.clicks,
    add_to_cart = d.add_to_cart + excluded.add_to_cart,
    purchases = d.purchases + excluded.purchases,
    revenue = d.revenue + excluded.revenue$f$, source)
$$;

-- One statement's new events. SET search_path: the trigger runs with the
-- schema it was created in.
CREATE FUNCTION event_daily_add() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  EXECUTE event_daily_add_sql('inserted');
  RETURN NULL;
END $$;

CREATE TRIGGER events_add_daily AFTER INSERT ON events
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION event_daily_add();

CREATE FUNCTION events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: % is not allowed', TG_OP
    USING ERRCODE = 'feature_not_supported';
END $$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

-- DELETE, not TRUNCATE: `TRUNCATE events, event_daily` has event_daily in use.
CREATE FUNCTION event_daily_clear() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM event_daily;
  RETURN NULL;
END $$;

CREATE TRIGGER events_truncate_daily AFTER TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION event_daily_clear();

-- The events already there.
DO $$ BEGIN EXECUTE event_daily_add_sql('events'); END $$;
