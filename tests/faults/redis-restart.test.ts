/**
 * Redis stopped and restarted under traffic (a private redis-server with an
 * append-only file, as a queue's Redis must run): /score answers from the
 * database meanwhile (BYPASS) and HITs again after; POST /signals answers 503
 * while Redis is away and loses nothing it acknowledged (every 202'd signal
 * ends up in the table); the BullMQ worker, started before the outage,
 * reconnects and writes the batches queued after it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ioredisCache } from '../../core/edge-host/adapters/ioredis-cache.ts'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { startIngestionWorker } from '../../core/ingestion/index.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { insertSignals } from '../../core/signals/index.ts'
import { createEdgeApp } from '../../edge/app.ts'
import { createScoreService } from '../../edge/score/index.ts'
import { freePort } from '../../scripts/dev/embedded/index.ts'
import { createIngestionHarness, type IngestionHarness, signal } from '../ingestion/harness.ts'
import { waitFor } from '../support/wait.ts'

const logger = createLogger({ service: 'test', level: 'silent' })
let dir: string
let port: number
let server: ChildProcess | undefined
let h: IngestionHarness
let edge: Hono
let cache: Redis

/** Starts redis-server on `port` with an fsync-always AOF in `dir`: each acknowledged write survives. */
async function startRedis(): Promise<void> {
  server = spawn(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
      ...['--appendonly', 'yes', '--appendfsync', 'always'],
    ],
    { stdio: 'ignore' },
  )
  await waitFor(async () => {
    const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => null })
    probe.on('error', () => {})
    try {
      await probe.connect()
      return (await probe.ping()) === 'PONG' ? true : undefined
    } catch {
      return undefined
    } finally {
      probe.disconnect()
    }
  }, 'the private redis-server')
}

async function stopRedis(): Promise<void> {
  if (!server || server.exitCode !== null) return
  server.kill('SIGTERM')
  await once(server, 'exit')
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redis-restart-'))
  port = await freePort()
  await startRedis()
  const url = `redis://127.0.0.1:${port}`
  h = await createIngestionHarness('redis_restart', {
    redisUrl: url,
    settings: { addTimeoutMs: 500 },
  })
  await insertSignals(h.pool, [
    {
      topic: 'restart owls',
      product: null,
      source: 'etsy',
      metric: 'sales',
      value: 1,
      observedAt: new Date(),
    },
  ])
  cache = createRedis(url, { role: 'cache', name: 'restart-cache', cacheTimeoutMs: 200 })
  edge = createEdgeApp({
    logger,
    observe: () => {},
    score: createScoreService({
      db: pgSql(h.pool),
      cache: ioredisCache(cache),
      ttlSeconds: 60,
      l1: false,
    }),
  })
})

afterAll(async () => {
  cache?.disconnect()
  await h?.cleanup()
  await stopRedis()
  await rm(dir, { recursive: true, force: true })
})

describe('Redis stopped and restarted under traffic', () => {
  it('Should bypass then hit again, answer 503 meanwhile and lose no acknowledged signal', async () => {
    const worker = startIngestionWorker({
      redisUrl: `redis://127.0.0.1:${port}`,
      db: h.pool,
      settings: h.settings,
      logger,
    })
    let n = 0
    let acknowledged = 0
    const statuses: number[] = []
    /** One round of traffic: a unique signal posted, and a score read. */
    const round = async () => {
      const [posted, scored] = await Promise.all([
        h.postSignals([signal(n++)]),
        edge.request('/score?topic=restart%20owls'),
      ])
      statuses.push(posted.status, scored.status)
      if (posted.status === 202) acknowledged++
      return { posted: posted.status, cache: scored.headers.get('X-Cache') }
    }
    try {
      for (let i = 0; i < 10; i++) await round()
      expect((await round()).cache).toBe('HIT')

      await stopRedis()
      const during = []
      for (let i = 0; i < 10; i++) during.push(await round())
      expect(during.every((r) => r.posted === 503)).toBe(true)
      expect(during.every((r) => r.cache === 'BYPASS')).toBe(true)

      await startRedis()
      // Traffic resumes on its own: clients reconnect, nothing is restarted.
      await waitFor(async () => ((await round()).posted === 202 ? true : undefined), '202 again')
      await waitFor(async () => ((await round()).cache === 'HIT' ? true : undefined), 'a HIT again')
      for (let i = 0; i < 10; i++) await round()

      // Only 202/503 from ingestion and 200 from /score: no other 5xx, nothing hung.
      expect(statuses.every((s) => s === 200 || s === 202 || s === 503)).toBe(true)
      expect(acknowledged).toBeGreaterThan(20)
      // The worker that lived through the outage writes every acknowledged signal.
      await waitFor(
        async () => ((await h.countRows()) === acknowledged + 1 ? true : undefined),
        `${acknowledged} acknowledged signals in the table`,
        30_000,
      )
    } finally {
      await worker.close()
    }
  })
})
