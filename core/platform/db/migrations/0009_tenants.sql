-- Tenants (issue #22): mock-ups, signal ids and refused signals belong to the
-- tenant of the key that posted them (API_KEYS `name@tenant`, else the key's
-- name). A key sees only its tenant's rows; ADMIN_KEYS see all.

-- A mock-up's tenant: its submitting key's name, which is that key's tenant
-- unless API_KEYS gives it another.
ALTER TABLE mockups ADD COLUMN tenant text;
UPDATE mockups SET tenant = submitted_by;
ALTER TABLE mockups ALTER COLUMN tenant SET NOT NULL;
-- GET /mockups lists one tenant's, newest first (admins keep mockups_created_at).
CREATE INDEX mockups_tenant_created_at ON mockups (tenant, created_at DESC, id DESC);

-- Signal ids dedupe per tenant, so one key cannot pre-claim another's ids.
-- Rows stored before this migration carry no poster: they get '' (no key's
-- tenant, whose names are 1-64 characters), so they claim no tenant's ids.
-- ADD COLUMN with a constant default rewrites no rows; the default is then
-- dropped so every insert must say whose signal it is.
ALTER TABLE signals ADD COLUMN tenant text NOT NULL DEFAULT '';
ALTER TABLE signals ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE signals DROP CONSTRAINT signals_dedupe_key;
ALTER TABLE signals ADD CONSTRAINT signals_tenant_dedupe_key UNIQUE (tenant, dedupe_key);

-- GET /signals/rejected lists the caller's tenant's refusals only.
ALTER TABLE rejected_signals ADD COLUMN tenant text NOT NULL DEFAULT '';
ALTER TABLE rejected_signals ALTER COLUMN tenant DROP DEFAULT;
CREATE INDEX rejected_signals_tenant_id ON rejected_signals (tenant, id DESC);
