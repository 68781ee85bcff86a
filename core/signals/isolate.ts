/**
 * @module
 * Writes a batch whose insert the database refused on the data: bisects it
 * until every good row is written and every refused row is alone. Bisection
 * over row-by-row savepoints: a 1,000-row batch with one bad row costs about
 * 2·log2(1000) ≈ 20 statements (half of them refused) instead of 1,000
 * statements and savepoints in one long transaction. Each statement commits
 * alone, which is safe: the insert is idempotent (dedupe keys), so a retried
 * job writes nothing twice.
 */
import type pg from 'pg'
import { type DataError, dataError } from './data-errors.ts'
import { insertSignals, type SignalRow } from './insert.ts'

/** A row the database refused, with its SQLSTATE and reason. */
export interface RefusedRow extends DataError {
  row: SignalRow
}

/** What {@link insertSignalsIsolating} wrote and refused. */
export interface IsolatedInsert {
  inserted: number
  refused: RefusedRow[]
}

/**
 * Inserts `tenant`'s `rows`; a statement refused on the data (SQLSTATE 22 or
 * 23) is split in halves until the refused rows are alone. Other errors are
 * rethrown unchanged.
 */
export async function insertSignalsIsolating(
  db: Pick<pg.Pool, 'query'>,
  rows: readonly SignalRow[],
  tenant: string,
): Promise<IsolatedInsert> {
  try {
    return { inserted: await insertSignals(db, rows, tenant), refused: [] }
  } catch (error) {
    const refusal = dataError(error)
    if (!refusal) throw error
    const [only] = rows
    if (rows.length === 1 && only) return { inserted: 0, refused: [{ row: only, ...refusal }] }
    const middle = Math.ceil(rows.length / 2)
    // One half after the other: the pool is shared with the other jobs.
    const first = await insertSignalsIsolating(db, rows.slice(0, middle), tenant)
    const second = await insertSignalsIsolating(db, rows.slice(middle), tenant)
    return {
      inserted: first.inserted + second.inserted,
      refused: [...first.refused, ...second.refused],
    }
  }
}
