/**
 * @module
 * The `rejected_signals` table (migration 0007): signals the database refused
 * although they passed validation, each with its job, SQLSTATE and a fixed
 * reason per class, for an operator to read (`GET /signals/rejected`).
 */
import type pg from 'pg'
import { toStorableText } from '../../edge/contracts/storable.ts'
import { signalDedupeKey } from './dedupe.ts'
import type { RefusedRow } from './isolate.ts'

const INSERT_REJECTED = `
INSERT INTO rejected_signals (job_id, tenant, dedupe_key, payload, sqlstate, reason)
SELECT $1, $2, * FROM unnest($3::text[], $4::jsonb[], $5::text[], $6::text[])
ON CONFLICT (job_id, dedupe_key) DO NOTHING`

/**
 * Newest first, below a cursor id (NULL: the first page), of one tenant (NULL: all).
 * Params: $1 before or NULL, $2 limit, $3 tenant or NULL.
 */
const LIST_REJECTED = `
SELECT id, job_id, payload, sqlstate, reason, rejected_at
FROM rejected_signals
WHERE ($1::bigint IS NULL OR id < $1::bigint) AND ($3::text IS NULL OR tenant = $3::text)
ORDER BY id DESC
LIMIT $2`

/** A row of `rejected_signals` as the API lists it. */
export interface RejectedSignal {
  id: number
  jobId: string
  signal: unknown
  sqlstate: string
  reason: string
  rejectedAt: string
}

/** One page of {@link listRejectedSignals}; `next` is the `before` of the next page, if any. */
export interface RejectedPage {
  items: RejectedSignal[]
  next: number | null
}

// What jsonb refuses (NUL, unpaired surrogates) becomes U+FFFD: a refused
// signal must still be kept.
const STORABLE_JSON = (_key: string, value: unknown) =>
  typeof value === 'string' ? toStorableText(value) : value

/** Keeps the refused rows of `job` (its id, its poster's tenant); a retried job records each once. */
export async function recordRejectedSignals(
  db: Pick<pg.Pool, 'query'>,
  job: { id: string; tenant: string },
  refused: readonly RefusedRow[],
): Promise<void> {
  if (refused.length === 0) return
  await db.query(INSERT_REJECTED, [
    job.id,
    job.tenant,
    refused.map((r) => signalDedupeKey(r.row)),
    refused.map((r) => JSON.stringify(r.row, STORABLE_JSON)),
    refused.map((r) => r.sqlstate),
    refused.map((r) => r.reason),
  ])
}

interface ListedRow {
  id: string
  job_id: string
  payload: unknown
  sqlstate: string
  reason: string
  rejected_at: Date
}

/**
 * Up to `limit` rejected signals, newest first, older than id `before` when
 * given, of `tenant` only (undefined: every tenant's).
 */
export async function listRejectedSignals(
  db: Pick<pg.Pool, 'query'>,
  page: { limit: number; before?: number | undefined },
  tenant: string | undefined,
): Promise<RejectedPage> {
  const { rows } = await db.query<ListedRow>(LIST_REJECTED, [
    page.before ?? null,
    page.limit,
    tenant ?? null,
  ])
  const items = rows.map((r) => ({
    id: Number(r.id),
    jobId: r.job_id,
    signal: r.payload,
    sqlstate: r.sqlstate,
    reason: r.reason,
    rejectedAt: r.rejected_at.toISOString(),
  }))
  const last = items.at(-1)
  return { items, next: items.length === page.limit && last ? last.id : null }
}
