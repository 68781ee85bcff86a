/**
 * @module
 * Which database errors are the data's fault: SQLSTATE class 22 (data
 * exception: a value out of range, a bad time) and 23 (integrity constraint
 * violation: a CHECK, NOT NULL). Retrying such a statement fails the same way,
 * so its rows are isolated instead; every other error (connection, outage,
 * missing table) is the system's and is rethrown. Reasons are fixed per class,
 * so no database text ever reaches a client or an operator's listing.
 */

/** The SQLSTATE classes that blame the rows. */
export type DataErrorClass = '22' | '23'

/** The reason kept with a refused row, per class. */
export const DATA_ERROR_REASONS: Readonly<Record<DataErrorClass, string>> = {
  '22': 'data exception: a value the database cannot store',
  '23': 'integrity violation: a value a table constraint refuses',
}

const SQLSTATE = /^[0-9A-Z]{5}$/

/** The SQLSTATE of a database error, or undefined for anything else. */
export function sqlstateOf(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error)) return undefined
  const { code } = error
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined
}

/** A database error that blames the data: its SQLSTATE and fixed reason. */
export interface DataError {
  sqlstate: string
  reason: string
}

/** The SQLSTATE and reason of `error` when it is the data's fault, else undefined. */
export function dataError(error: unknown): DataError | undefined {
  const sqlstate = sqlstateOf(error)
  const cls = sqlstate?.slice(0, 2)
  return sqlstate && (cls === '22' || cls === '23')
    ? { sqlstate, reason: DATA_ERROR_REASONS[cls] }
    : undefined
}
