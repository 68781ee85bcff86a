/**
 * The queue Redis crashes (SIGKILL: no shutdown, no final write) after
 * POST /signals answered 202 and before any worker ran: a private Redis with an
 * append-only file (as `npm start`'s), restarted on the same folder and port,
 * still holds every job, and the worker started afterwards writes every
 * acknowledged signal to PostgreSQL.
 *
 * `appendfsync everysec`: the file is written at each command but fsynced once
 * a second, so the test waits over a second after the 202s before the kill.
 * (A killed process loses nothing already written; a machine crash could lose
 * that last second.)
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIngestionWorker } from '../../core/ingestion/index.ts'
import { freePort, type PrivateRedis, startPrivateRedis } from '../../scripts/dev/embedded/index.ts'
import {
  createIngestionHarness,
  FAST,
  type IngestionHarness,
  signal,
  silentLogger,
} from '../ingestion/harness.ts'
import { waitFor } from '../support/wait.ts'

const BATCHES = 20
const PER_BATCH = 5

let dir: string
let port: number
let redis: PrivateRedis | undefined
let h: IngestionHarness | undefined
let worker: ReturnType<typeof startIngestionWorker> | undefined

const startRedis = async () => {
  redis = await startPrivateRedis({ dir: join(dir, 'redis'), persist: true, port })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redis-aof-'))
  port = await freePort()
  await startRedis()
  h = await createIngestionHarness('redis_aof', { redisUrl: redis?.url, settings: FAST })
}, 60_000)

afterAll(async () => {
  await worker?.close().catch(() => {})
  await h?.cleanup()
  await redis?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('the queue Redis killed between the 202s and the worker', () => {
  it('Should keep every acknowledged job in its append-only file and write them all', async () => {
    if (!h || !redis) throw new Error('no harness')
    const harness = h
    const statuses = await Promise.all(
      Array.from({ length: BATCHES }, (_, b) =>
        harness
          .postSignals(Array.from({ length: PER_BATCH }, (_, i) => signal(b * PER_BATCH + i)))
          .then((r) => r.status),
      ),
    )
    const acknowledged = statuses.filter((s) => s === 202).length * PER_BATCH
    expect(acknowledged).toBe(BATCHES * PER_BATCH)
    expect(await harness.countRows()).toBe(0)

    // appendfsync everysec: let one fsync pass before the crash.
    await sleep(1500)
    await redis.kill('SIGKILL')
    await startRedis()

    worker = startIngestionWorker({
      redisUrl: redis.url,
      db: harness.pool,
      settings: harness.settings,
      logger: silentLogger,
    })
    const rows = await waitFor(
      async () => {
        const n = await harness.countRows()
        return n === acknowledged ? n : undefined
      },
      'every acknowledged signal written',
      30_000,
    )
    const counts = await harness.queue.queue.getJobCounts('failed', 'completed')
    console.info(`acknowledged ${acknowledged} signals in ${BATCHES} batches, rows ${rows}`)
    expect(rows).toBe(acknowledged)
    expect(counts).toEqual({ failed: 0, completed: BATCHES })
  }, 60_000)
})
