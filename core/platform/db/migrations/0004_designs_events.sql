-- Storefront analytics: designs and the events shoppers generate on them.
-- One row per event; every figure the API reports is summed in SQL.
CREATE TABLE designs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  topic text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  design_id bigint NOT NULL REFERENCES designs (id),
  product text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('impression', 'click', 'add_to_cart', 'purchase')),
  -- Revenue of a purchase, in the store currency; 0 for other kinds.
  revenue numeric(12, 2) NOT NULL DEFAULT 0 CHECK (revenue >= 0),
  occurred_at timestamptz NOT NULL
);

-- Design summary and time series: one design over a period. INCLUDE makes
-- them index-only scans.
CREATE INDEX events_design_occurred_at ON events (design_id, occurred_at)
  INCLUDE (kind, revenue, product);

-- Top designs over a period: every design's events in a time range.
CREATE INDEX events_occurred_at ON events (occurred_at)
  INCLUDE (design_id, kind, revenue, product);
