/**
 * @module
 * pg results and errors in the JSON shapes Neon's SQL-over-HTTP endpoint
 * answers with, which the driver's `neon()` parses.
 */

import type { FieldDef, QueryResult } from 'pg'
import pg from 'pg'

/** One field description, as Neon sends it. */
export interface NeonField {
  name: string
  tableID: number
  columnID: number
  dataTypeID: number
  dataTypeSize: number
  dataTypeModifier: number
  format: string
}

/** One statement's result: values are PostgreSQL text (or null). */
export interface NeonResult {
  command: string
  rowCount: number | null
  rows: unknown[]
  fields: NeonField[]
  rowAsArray: boolean
}

/** Converts a pg result (rows already raw text) to Neon's shape. */
export function toNeonResult(
  result: Pick<QueryResult, 'command' | 'rowCount' | 'fields'> & { rows: unknown[] },
  rowAsArray: boolean,
): NeonResult {
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows: result.rows,
    fields: result.fields.map(toNeonField),
    rowAsArray,
  }
}

function toNeonField(field: FieldDef): NeonField {
  const { name, tableID, columnID, dataTypeID, dataTypeSize, dataTypeModifier, format } = field
  return { name, tableID, columnID, dataTypeID, dataTypeSize, dataTypeModifier, format }
}

/** The PostgreSQL error fields Neon forwards; the driver copies each onto its `NeonDbError`. */
const ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const

/** Neon's 400 body for a PostgreSQL error: `{message, code, ...}`. */
export type NeonErrorBody = { message: string } & Partial<
  Record<(typeof ERROR_FIELDS)[number], string>
>

/**
 * Neon's body for an error PostgreSQL reported, or undefined when `error`
 * did not come from PostgreSQL (a refused or dropped connection).
 */
export function databaseErrorBody(error: unknown): NeonErrorBody | undefined {
  if (!(error instanceof pg.DatabaseError)) return undefined
  const body: NeonErrorBody = { message: error.message }
  for (const field of ERROR_FIELDS) {
    const value = error[field]
    if (value !== undefined) body[field] = value
  }
  return body
}
