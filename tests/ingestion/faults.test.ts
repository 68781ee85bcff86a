/**
 * Faults around ingestion, through TCP proxies in front of the shared servers
 * (never the servers themselves): Redis cut off while posting, and PostgreSQL
 * cut off while a job runs.
 */
import { once } from 'node:events'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIngestionWorker } from '../../core/ingestion/index.ts'
import { createPool } from '../../core/platform/db/index.ts'
import { testDatabaseUrl, testRedisUrl } from '../support/env.ts'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts'
import { waitFor } from '../support/wait.ts'
import {
  completedJob,
  createIngestionHarness,
  type IngestionHarness,
  signal,
  silentLogger,
} from './harness.ts'

const portOf = (url: string, fallback: number) => Number(new URL(url).port || fallback)

describe('POST /signals while Redis is cut off', () => {
  let proxy: TcpProxy
  let h: IngestionHarness
  beforeAll(async () => {
    proxy = await startTcpProxy(portOf(testRedisUrl(), 6379))
    h = await createIngestionHarness('signals_redis_down', {
      redisUrl: proxy.through(testRedisUrl()),
    })
  })
  afterAll(async () => {
    proxy.resume()
    await h.cleanup()
    await proxy.close()
  })

  it('Should answer 503 with Retry-After, queue nothing, and accept again once Redis is back', async () => {
    const { connection } = h
    expect((await h.postSignals([signal(1)])).status).toBe(202)
    const closed = once(connection, 'close')
    proxy.cut()
    await closed
    const down = await Promise.all([1, 2, 3].map((n) => h.postSignals([signal(100 + n)])))
    for (const res of down) {
      expect(res.status).toBe(503)
      expect(res.headers.get('Retry-After')).toBe('5')
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'queue_unavailable',
      )
    }
    proxy.resume()
    await waitFor(async () => (connection.status === 'ready' ? true : undefined), 'reconnect')
    // Only the batch acknowledged before the cut is in the queue.
    expect(await h.queue.queue.getWaitingCount()).toBe(1)
    expect((await h.postSignals([signal(2)])).status).toBe(202)
    expect(await h.queue.queue.getWaitingCount()).toBe(2)
  })
})

describe('A job while PostgreSQL is cut off', () => {
  let proxy: TcpProxy
  let h: IngestionHarness
  let pool: pg.Pool
  beforeAll(async () => {
    proxy = await startTcpProxy(portOf(testDatabaseUrl(), 5432))
    h = await createIngestionHarness('signals_pg_down', {
      settings: { attempts: 3, backoffDelayMs: 20, outagePauseMs: 50 },
    })
    const url = new URL(h.schema.url)
    url.host = `127.0.0.1:${proxy.port}`
    pool = createPool({
      url: url.toString(),
      schema: h.schema.schema,
      size: 2,
      name: 'pg_down_worker',
      connectionTimeoutMs: 1000,
    })
  })
  afterAll(async () => {
    proxy.resume()
    await pool.end()
    await h.cleanup()
    await proxy.close()
  })

  it('Should pause without spending attempts and write the rows once PostgreSQL is back', async () => {
    const worker = startIngestionWorker({
      redisUrl: testRedisUrl(),
      db: pool,
      settings: h.settings,
      logger: silentLogger,
    })
    try {
      proxy.cut()
      const res = await h.postSignals(Array.from({ length: 40 }, (_, i) => signal(i)))
      const { jobId } = (await res.json()) as { jobId: string }
      // Taken more times than it has attempts, sent back each time with none spent.
      const paused = await waitFor(async () => {
        const job = await h.queue.getJob(jobId)
        return job && job.attemptsStarted > 3 ? job : undefined
      }, 'the job to be taken again after outages')
      expect(paused.attemptsMade).toBe(0)
      expect(paused.failedReason).toBeFalsy()
      expect(await h.countRows()).toBe(0)
      proxy.resume()
      const done = await completedJob(h.queue, jobId)
      expect(done.returnvalue).toEqual({ received: 40, inserted: 40 })
      expect(await h.countRows()).toBe(40)
    } finally {
      await worker.close()
    }
  })
})
