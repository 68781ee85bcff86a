/**
 * @module
 * The `mockups` row and its SQL, shared by core (which creates and serves
 * rows) and the GPU worker (which moves them to running, completed, failed).
 * Statements are named constants; each one is a single statement.
 */
import type pg from 'pg'
import type { MockupJob, MockupRecord, MockupStatus } from '../../../edge/contracts/mockups.ts'

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

/** Params: $1 id, $2 prompt, $3 product, $4 seed, $5 steps, $6 width, $7 height, $8 submitted_by. */
const INSERT = `INSERT INTO mockups (id, prompt, product, seed, steps, width, height, submitted_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
/** Params: $1 id. */
const DELETE_QUEUED = `DELETE FROM mockups WHERE id = $1 AND status = 'queued'`
/** Params: $1 id. */
const SELECT_ONE = `SELECT ${COLUMNS} FROM mockups WHERE id = $1`
/** Newest first after a keyset cursor. Params: $1 cursor created_at or NULL, $2 cursor id, $3 limit. */
const SELECT_PAGE = `SELECT ${COLUMNS} FROM mockups
WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
ORDER BY created_at DESC, id DESC LIMIT $3`
/** A retried job counts an attempt each time. Params: $1 id. */
const MARK_RUNNING = `UPDATE mockups SET status = 'running', started_at = now(), attempts = attempts + 1,
  error = NULL WHERE id = $1 AND status IN ('queued', 'running')`
/** Params: $1 id, $2 provider, $3 timings, $4 png key, $5 webp key. */
const MARK_COMPLETED = `UPDATE mockups SET status = 'completed', provider = $2, timings = $3,
  png_key = $4, webp_key = $5, finished_at = now(), error = NULL WHERE id = $1`
/** Params: $1 id, $2 error message. */
const MARK_FAILED = `UPDATE mockups SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`

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

/** A new job's parameters, resolved (no defaults left), and who asked. */
export type NewMockup = Omit<MockupJob, 'mockupId'> & { id: string; submittedBy: string }

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
      ])
    },
    /** Removes a row whose job could not be queued (nothing is acknowledged that was not). */
    async deleteQueued(id: string): Promise<void> {
      await pool.query(DELETE_QUEUED, [id])
    },
    async get(id: string): Promise<MockupRecord | undefined> {
      const { rows } = await pool.query<MockupRow>(SELECT_ONE, [id])
      return rows[0] ? toRecord(rows[0]) : undefined
    },
    async page(limit: number, after?: { createdAt: string; id: string }): Promise<MockupRecord[]> {
      const { rows } = await pool.query<MockupRow>(SELECT_PAGE, [
        after?.createdAt ?? null,
        after?.id ?? null,
        limit,
      ])
      return rows.map(toRecord)
    },
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
    async markFailed(id: string, error: string): Promise<void> {
      await pool.query(MARK_FAILED, [id, error.slice(0, 1000)])
    },
  }
}

/** The mock-up rows. */
export type MockupRecords = ReturnType<typeof createMockupRecords>
