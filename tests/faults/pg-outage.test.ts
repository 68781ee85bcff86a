/**
 * PostgreSQL stopped for longer than all of a job's attempts would last (a
 * private cluster, stopped and started again on the same folder and port):
 * POST /signals keeps answering 202 (Redis is up), the ingestion worker
 * pauses instead of spending attempts, resumes by itself when the database is
 * back, and every acknowledged signal is written once; nothing is failed.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIngestionWorker } from '../../core/ingestion/index.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { createLogger } from '../../core/platform/logger.ts'
import {
  freePort,
  type PrivatePostgres,
  startPrivatePostgres,
} from '../../scripts/dev/embedded/index.ts'
import { createIngestionHarness, type IngestionHarness, signal } from '../ingestion/harness.ts'
import { testRedisUrl } from '../support/env.ts'
import { waitFor } from '../support/wait.ts'

/** Without the outage guard, 3 attempts 50 ms apart are spent within ~150 ms of the outage. */
const SETTINGS = { attempts: 3, backoffDelayMs: 50, outagePauseMs: 100, outagePauseMaxMs: 1000 }
const OUTAGE_MS = 5000
const BATCHES = 20

const logLines: string[] = []
const logger = createLogger({
  service: 'test',
  level: 'info',
  destination: { write: (line: string) => void logLines.push(line) },
})
let dir: string
let port: number
let server: PrivatePostgres | undefined
let db: pg.Pool
let h: IngestionHarness
let worker: ReturnType<typeof startIngestionWorker> | undefined

const startServer = async () => {
  server = await startPrivatePostgres({ dataDir: join(dir, 'pg'), port })
}
const rows = async () => {
  const { rows } = await db.query<{ n: number; keys: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT dedupe_key)::int AS keys FROM signals',
  )
  return rows[0] ?? { n: 0, keys: 0 }
}
/** Posts batches `from`..`from + BATCHES - 1` (one signal each); returns how many got 202. */
const post = async (from: number) => {
  const statuses = await Promise.all(
    Array.from({ length: BATCHES }, (_, i) =>
      h.postSignals([signal(from + i)]).then((r) => r.status),
    ),
  )
  return statuses.filter((s) => s === 202).length
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pg-outage-'))
  // As root the cluster runs as the postgres user, who must be able to enter the folder.
  await chmod(dir, 0o755)
  port = await freePort()
  await startServer()
  if (!server) throw new Error('no private PostgreSQL')
  db = createPool({ url: server.url, size: 4, name: 'pg-outage', connectionTimeoutMs: 500 })
  await migrate(db)
  // The harness's queue and app on the shared Redis (own prefix); its schema goes unused.
  h = await createIngestionHarness('pg_outage', { settings: SETTINGS })
  worker = startIngestionWorker({ redisUrl: testRedisUrl(), db, settings: h.settings, logger })
}, 60_000)

afterAll(async () => {
  await worker?.close().catch(() => {})
  await h?.cleanup()
  await db?.end().catch(() => {})
  await server?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('PostgreSQL away for longer than all attempts', () => {
  it('Should pause the worker, resume it, write every acknowledged signal once, fail nothing', async () => {
    let acknowledged = await post(0)
    await waitFor(async () => ((await rows()).n === acknowledged ? true : undefined), 'rows')

    await server?.stop()
    acknowledged += await post(BATCHES)
    // The scenario itself: the database stays away this long, many times all attempts' back-off.
    await sleep(OUTAGE_MS)
    const during = await h.queue.queue.getJobCounts('failed', 'completed', 'wait', 'delayed')
    await startServer()

    const written = await waitFor(
      async () => {
        const r = await rows()
        return r.n === acknowledged ? r : undefined
      },
      'every acknowledged signal written',
      30_000,
    )
    const after = await h.queue.queue.getJobCounts('failed', 'completed')
    const outageLines = logLines.filter((l) => /dependency (unavailable|back)/.test(l))
    console.info(
      `acknowledged ${acknowledged}, rows ${written.n} (distinct ${written.keys}), ` +
        `during outage ${JSON.stringify(during)}, after ${JSON.stringify(after)}, ` +
        `outage log lines ${outageLines.length}`,
    )
    expect(acknowledged).toBe(2 * BATCHES)
    expect(written).toEqual({ n: acknowledged, keys: acknowledged })
    expect(during.failed).toBe(0)
    expect(after).toEqual({ failed: 0, completed: 2 * BATCHES })
    // Logged once when the outage began and once when it ended, not per job.
    expect(outageLines).toHaveLength(2)
  }, 60_000)
})
