/**
 * @module
 * Batched, idempotent inserts of signals: one statement per batch with one
 * array parameter per column (`unnest`), `ON CONFLICT (tenant, dedupe_key) DO
 * NOTHING`: an id dedupes within its tenant only, so no key can pre-claim
 * another tenant's ids. The statement's trigger adds the rows really inserted
 * to `signal_hourly` (migration 0010), which the score reads.
 */
import type pg from 'pg'
import type { SignalRecord } from '../../edge/contracts/signals.ts'
import { signalDedupeKey } from './dedupe.ts'

/** A signal as stored (the contract's record). */
export type SignalRow = SignalRecord

/**
 * The tenant of signals no API key posted (seeded by tooling, or stored before
 * tenants existed): no key's tenant, since tenant names are 1-64 characters.
 */
export const NO_TENANT = ''

/** Params: $1 tenant, then one array per column. */
const INSERT_SIGNALS = `
INSERT INTO signals (tenant, dedupe_key, topic, product, source, metric, value, observed_at)
SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::timestamptz[])
ON CONFLICT (tenant, dedupe_key) DO NOTHING`

/** Inserts a batch of `tenant`'s; returns how many rows were new (duplicates are skipped). */
export async function insertSignals(
  db: Pick<pg.Pool, 'query'>,
  rows: readonly SignalRow[],
  tenant: string = NO_TENANT,
): Promise<number> {
  if (rows.length === 0) return 0
  const result = await db.query(INSERT_SIGNALS, [
    tenant,
    rows.map(signalDedupeKey),
    rows.map((r) => r.topic),
    rows.map((r) => r.product),
    rows.map((r) => r.source),
    rows.map((r) => r.metric),
    rows.map((r) => r.value),
    rows.map((r) => r.observedAt.toISOString()),
  ])
  return result.rowCount ?? 0
}
