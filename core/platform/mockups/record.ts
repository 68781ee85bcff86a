/**
 * @module
 * The `mockups` row and its SQL, shared by core (which creates and serves
 * rows) and the GPU worker (which moves them to running, completed, failed).
 * Statements are named constants; each one is a single statement.
 */
import type pg from 'pg'
import type {
  MockupFailureCode,
  MockupJob,
  MockupRecord,
  MockupStatus,
} from '../../../edge/contracts/mockups.ts'

interface MockupRow {
  id: string
  status: MockupStatus
  prompt: string
  // Only core writes rows, from validated jobs.
  product: MockupRecord['product']
  seed: string
  steps: number
  width: number
  height: number
  provider: string | null
  timings: Record<string, number> | null
  png_key: string | null
  webp_key: string | null
  error: string | null
  attempts: number
  created_at: Date
  started_at: Date | null
  finished_at: Date | null
}

const COLUMNS = `id, status, prompt, product, seed, steps, width, height, provider, timings,
  png_key, webp_key, error, attempts, created_at, started_at, finished_at`

/**
 * Params: $1 id, $2 prompt, $3 product, $4 seed, $5 steps, $6 width, $7 height,
 * $8 submitted_by, $9 tenant.
 */
const INSERT = `INSERT INTO mockups (id, prompt, product, seed, steps, width, height, submitted_by, tenant)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
/** Params: $1 id. */
const DELETE_QUEUED = `DELETE FROM mockups WHERE id = $1 AND status = 'queued'`
/** Params: $1 id, $2 tenant or NULL (any). */
const SELECT_ONE = `SELECT ${COLUMNS} FROM mockups WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)`
/**
 * Newest first after a keyset cursor, of one tenant or all.
 * Params: $1 cursor created_at or NULL, $2 cursor id, $3 limit, $4 tenant or NULL (all).
 */
const SELECT_PAGE = `SELECT ${COLUMNS} FROM mockups
WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid))
  AND ($4::text IS NULL OR tenant = $4)
ORDER BY created_at DESC, id DESC LIMIT $3`
/** A retried job counts an attempt each time. Params: $1 id. */
const MARK_RUNNING = `UPDATE mockups SET status = 'running', started_at = now(), attempts = attempts + 1,
  error = NULL WHERE id = $1 AND status IN ('queued', 'running')`
/** Params: $1 id, $2 provider, $3 timings, $4 png key, $5 webp key. */
const MARK_COMPLETED = `UPDATE mockups SET status = 'completed', provider = $2, timings = $3,
  png_key = $4, webp_key = $5, finished_at = now(), error = NULL WHERE id = $1`
/**
 * Only a code is stored: what clients see is fixed text, never a raw error.
 * Params: $1 id, $2 failure code, $3 the status the row must still have, or NULL for any.
 */
const MARK_FAILED = `UPDATE mockups SET status = 'failed', error = $2, finished_at = now()
WHERE id = $1 AND ($3::text IS NULL OR status = $3)`
/**
 * Unfinished rows whose state last changed before the grace, oldest first, and
 * how long ago that was (the database's clock, shared by every process).
 * Params: $1 grace in ms, $2 limit.
 */
const SELECT_UNFINISHED = `SELECT ${COLUMNS}, requeues,
  (extract(epoch FROM now() - coalesce(started_at, created_at)) * 1000)::float8 AS age_ms
FROM mockups WHERE status IN ('queued', 'running')
  AND created_at < now() - $1 * interval '1 millisecond'
ORDER BY created_at LIMIT $2`
/** Params: $1 id. */
const COUNT_REQUEUE = `UPDATE mockups SET requeues = requeues + 1 WHERE id = $1 AND status = 'queued'`

const toRecord = (row: MockupRow): MockupRecord => ({
  id: row.id,
  status: row.status,
  prompt: row.prompt,
  product: row.product,
  seed: Number(row.seed),
  steps: row.steps,
  width: row.width,
  height: row.height,
  provider: row.provider,
  timings: row.timings,
  pngKey: row.png_key,
  webpKey: row.webp_key,
  error: row.error,
  attempts: row.attempts,
  createdAt: row.created_at.toISOString(),
  startedAt: row.started_at?.toISOString() ?? null,
  finishedAt: row.finished_at?.toISOString() ?? null,
})

/** An unfinished row as the reconciler sees it. */
export interface UnfinishedMockup {
  record: MockupRecord
  /** Times the reconciler re-queued it already. */
  requeues: number
  /** Since it was queued, or since its last attempt started. */
  ageMs: number
}

/**
 * A new job's parameters, resolved (no defaults left), who asked, and whose it
 * is (`tenant`, default the key's name: every key's default tenant).
 */
export type NewMockup = Omit<MockupJob, 'mockupId'> & {
  id: string
  submittedBy: string
  tenant?: string
}

/** The mock-up rows over a pool. */
export function createMockupRecords(pool: pg.Pool) {
  return {
    async insert(m: NewMockup): Promise<void> {
      await pool.query(INSERT, [
        m.id,
        m.prompt,
        m.product,
        m.seed,
        m.steps,
        m.width,
        m.height,
        m.submittedBy,
        m.tenant ?? m.submittedBy,
      ])
    },
    /** Removes a row whose job could not be queued (nothing is acknowledged that was not). */
    async deleteQueued(id: string): Promise<void> {
      await pool.query(DELETE_QUEUED, [id])
    },
    /** The row `id`; with `tenant`, only when it is that tenant's. */
    async get(id: string, tenant?: string): Promise<MockupRecord | undefined> {
      const { rows } = await pool.query<MockupRow>(SELECT_ONE, [id, tenant ?? null])
      return rows[0] ? toRecord(rows[0]) : undefined
    },
    /** A page newest first; with `tenant`, of that tenant's rows only. */
    async page(
      limit: number,
      after?: { createdAt: string; id: string },
      tenant?: string,
    ): Promise<MockupRecord[]> {
      const { rows } = await pool.query<MockupRow>(SELECT_PAGE, [
        after?.createdAt ?? null,
        after?.id ?? null,
        limit,
        tenant ?? null,
      ])
      return rows.map(toRecord)
    },
    /** False when the row is no longer runnable (finished, failed, or gone): the job must not run. */
    async markRunning(id: string): Promise<boolean> {
      return ((await pool.query(MARK_RUNNING, [id])).rowCount ?? 0) === 1
    },
    async markCompleted(
      id: string,
      result: {
        provider: string
        timings: Record<string, number>
        pngKey: string
        webpKey: string
      },
    ): Promise<void> {
      await pool.query(MARK_COMPLETED, [
        id,
        result.provider,
        JSON.stringify(result.timings),
        result.pngKey,
        result.webpKey,
      ])
    },
    /** Fails the row with `code`; with `expected`, only while it still has that status. */
    async markFailed(
      id: string,
      code: MockupFailureCode,
      expected?: MockupStatus,
    ): Promise<boolean> {
      return ((await pool.query(MARK_FAILED, [id, code, expected ?? null])).rowCount ?? 0) === 1
    },
    async unfinished(graceMs: number, limit: number): Promise<UnfinishedMockup[]> {
      const { rows } = await pool.query<MockupRow & { requeues: number; age_ms: number }>(
        SELECT_UNFINISHED,
        [graceMs, limit],
      )
      return rows.map((row) => ({
        record: toRecord(row),
        requeues: row.requeues,
        ageMs: row.age_ms,
      }))
    },
    /** Counts a re-queue of a row still queued; false when it moved on meanwhile. */
    async countRequeue(id: string): Promise<boolean> {
      return ((await pool.query(COUNT_REQUEUE, [id])).rowCount ?? 0) === 1
    },
  }
}

/** The mock-up rows. */
export type MockupRecords = ReturnType<typeof createMockupRecords>
