/**
 * @module
 * Every public service surface in one process, for the fuzz and access
 * tests: the core app with all of core's routes (signals, mock-ups,
 * experiments, analytics, latency, admin) on real PostgreSQL (a private
 * schema) and Redis (private queue and key prefixes), served on a free port,
 * and the edge app (/score and the tRPC gateway calling that core) in
 * process. Rate limits run in Redis with a limit no test reaches, so the
 * limiter's path is exercised on every request. Keys: `tester` (tenant A,
 * which owns the seeded mock-up), `rival` (tenant B) and `ops` (admin).
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import type pg from 'pg'
import { Registry } from 'prom-client'
import { createAccessPolicy } from '../../core/access/index.ts'
import { ioredisCache } from '../../core/edge-host/adapters/ioredis-cache.ts'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { createCoreApp } from '../../core/http/app.ts'
import { createSignalQueue } from '../../core/ingestion/index.ts'
import { openMetricsStore } from '../../core/optimization/index.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { listen } from '../../core/platform/http/listen.ts'
import { createMockupRecords } from '../../core/platform/mockups/index.ts'
import {
  type MockupJob,
  QUEUE_NAMES,
  QueueProducer,
  queueSettings,
} from '../../core/platform/queue/index.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { createFsMockupStorage } from '../../core/platform/storage/index.ts'
import { createLatencyPool } from '../../core/pools/latency/index.ts'
import { ioredisRateLimitStore } from '../../core/rate-limit/index.ts'
import { coreRoutes } from '../../core/routes.ts'
import { insertSignals } from '../../core/signals/index.ts'
import { createEdgeApp } from '../../edge/app.ts'
import type { ApiKey } from '../../edge/auth/index.ts'
import type { ErrorLogger } from '../../edge/errors/index.ts'
import { scoreGetEtag } from '../../edge/gateway/index.ts'
import type { ProfilingLogger } from '../../edge/profiling/index.ts'
import { createScoreService } from '../../edge/score/index.ts'
import { seedAnalytics } from '../../scripts/dev/demo-data/index.ts'
import { createTestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'
import { createTestRedis } from '../support/redis.ts'

export const SECRET = 'stack-test-secret-0123456789'
export const AUTH = `Bearer ${SECRET}`
/** Tenant B's key: it reads what tenant A (`tester`) owns. */
export const RIVAL_SECRET = 'stack-rival-secret-0123456789'
/** The edge's credential at core (`EDGE_SERVICE_KEY`): gateway calls reach core as the caller. */
export const SERVICE_KEY = 'stack-edge-service-key-0123456789'
/** The admin key (`ADMIN_KEYS=ops`). */
export const ADMIN_SECRET = 'stack-admin-secret-0123456789'
export const KEYS: ApiKey[] = [
  { name: 'tester', tenant: 'tester', secret: SECRET },
  { name: 'rival', tenant: 'rival', secret: RIVAL_SECRET },
  { name: 'ops', tenant: 'ops', secret: ADMIN_SECRET },
]
const access = createAccessPolicy({ keys: KEYS, adminKeys: ['ops'] })

/** Options of {@link startFullStack}. */
export interface FullStackOptions {
  logger: ProfilingLogger & ErrorLogger
  /** Requests per minute and key. @defaultValue 10,000,000 (never reached) */
  rateLimit?: number
}

/** The running stack. */
export interface FullStack {
  core: Hono
  coreUrl: string
  edge: Hono
  pool: pg.Pool
  designIds: number[]
  /** A mock-up row that exists, with no images. */
  mockupId: string
  close: () => Promise<void>
}

/** Starts every route of core and the edge against private resources. */
export async function startFullStack(label: string, options: FullStackOptions): Promise<FullStack> {
  const cleanups: (() => Promise<unknown>)[] = []
  const close = async () => {
    // Every step runs even when one fails.
    for (const step of cleanups.reverse()) await step().catch(() => {})
  }
  try {
    const schema = await createTestSchema(label)
    cleanups.push(schema.drop)
    const pool = createPool({ url: schema.url, schema: schema.schema, size: 6, name: label })
    cleanups.push(() => pool.end())
    await migrate(pool, { schema: schema.schema })
    await insertSignals(pool, [
      {
        topic: 'fuzz owls',
        product: null,
        source: 'etsy',
        metric: 'saves',
        value: 4,
        observedAt: new Date(),
      },
    ])
    const designIds = await seedAnalytics(pool, {
      designs: 5,
      events: 500,
      seed: 3,
      now: new Date('2026-06-01T00:00:00Z'),
      days: 30,
      batchSize: 500,
    })
    const dir = await mkdtemp(join(tmpdir(), `${label}-`))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))

    const cache = createTestRedis(label)
    cleanups.push(cache.cleanup)
    const connection = createRedis(testRedisUrl(), { role: 'queue', name: `test-${label}` })
    cleanups.push(async () => connection.disconnect())
    const settings = queueSettings({ prefix: `test-${label}-${randomUUID().slice(0, 8)}` })
    const signals = createSignalQueue(connection, settings)
    const mockups = new QueueProducer<MockupJob, unknown>(QUEUE_NAMES.mockups, {
      connection,
      settings,
    })
    for (const q of [signals, mockups]) {
      cleanups.push(async () => {
        await q.queue.obliterate({ force: true }).catch(() => {})
        await q.close()
      })
    }
    await signals.queue.waitUntilReady()

    const store = await openMetricsStore(schema.url, { schema: schema.schema, poolSize: 2 })
    cleanups.push(() => store.close())
    const latencyPool = createLatencyPool({ size: 1, registry: new Registry() })
    cleanups.push(() => latencyPool.close())
    // A metrics source on loopback for the latency report: config-given, like production's.
    const sourceRegistry = new Registry()
    const source = await listen(
      { fetch: async () => new Response(await sourceRegistry.metrics()) },
      0,
      '127.0.0.1',
    )
    cleanups.push(source.close)

    const records = createMockupRecords(pool)
    const mockupId = randomUUID()
    await records.insert({
      id: mockupId,
      prompt: 'fuzz',
      product: 'mug',
      seed: 1,
      steps: 2,
      width: 64,
      height: 64,
      submittedBy: 'tester',
    })

    const limit = options.rateLimit ?? 10_000_000
    const rateLimit = { store: ioredisRateLimitStore(cache.redis), limit }
    const core = createCoreApp({
      logger: options.logger,
      observe: () => {},
      apiKeys: KEYS,
      rateLimit,
      edgeServiceKey: SERVICE_KEY,
      // The list core/server.ts serves: a new route reaches the access tests.
      routes: coreRoutes({
        pool,
        signalQueue: signals,
        mockupQueue: mockups,
        mockupStorage: createFsMockupStorage({ root: join(dir, 'images') }),
        metricsStore: store,
        latency: { pool: latencyPool, metricsUrls: [`http://127.0.0.1:${source.port}/metrics`] },
        dashboardQueues: [signals.queue, mockups.queue],
        keys: KEYS,
        access,
        logger: options.logger,
      }),
    })
    const coreServer = await listen(core, 0, '127.0.0.1')
    cleanups.push(coreServer.close)
    const coreUrl = `http://127.0.0.1:${coreServer.port}`

    const db = pgSql(pool)
    const edge = createEdgeApp({
      logger: options.logger,
      observe: () => {},
      score: createScoreService({
        db,
        cache: ioredisCache(cache.redis),
        ttlSeconds: 60,
        etagOf: scoreGetEtag,
      }),
      apiKeys: KEYS,
      coreUrl,
      serviceKey: SERVICE_KEY,
      db,
      rateLimit,
    })
    return { core, coreUrl, edge, pool, designIds, mockupId, close }
  } catch (error) {
    await close()
    throw error
  }
}
