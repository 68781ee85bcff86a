/**
 * @module
 * Batched, idempotent inserts of signals: one statement per batch with one
 * array parameter per column (`unnest`), `ON CONFLICT (dedupe_key) DO NOTHING`.
 */
import type pg from 'pg'
import type { SignalRecord } from '../../edge/contracts/signals.ts'
import { signalDedupeKey } from './dedupe.ts'

/** A signal as stored (the contract's record). */
export type SignalRow = SignalRecord

const INSERT_SIGNALS = `
INSERT INTO signals (dedupe_key, topic, product, source, metric, value, observed_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::timestamptz[])
ON CONFLICT (dedupe_key) DO NOTHING`

/** Inserts a batch; returns how many rows were new (duplicates are skipped). */
export async function insertSignals(
  db: Pick<pg.Pool, 'query'>,
  rows: readonly SignalRow[],
): Promise<number> {
  if (rows.length === 0) return 0
  const result = await db.query(INSERT_SIGNALS, [
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
