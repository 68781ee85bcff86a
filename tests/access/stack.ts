/**
 * @module
 * Every public service surface in one process, for the fuzz and access
 * tests: the core app with all of core's routes (signals, mock-ups,
 * experiments, analytics, latency, admin) on real PostgreSQL (a private
 * schema) and Redis (private queue and key prefixes), served on a free port,
 * and the edge app (/score and the tRPC gateway calling that core) in
 * process. Rate limits run in Redis with a limit no test reaches, so the
 * limiter's path is exercised on every request.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import type pg from 'pg'
import { Registry } from 'prom-client'
import { adminRoutes } from '../../core/admin/routes.ts'
import { latencyRoute } from '../../core/analytics/latency-route.ts'
import { analyticsRoutes } from '../../core/analytics/routes.ts'
import { createAnalyticsStore } from '../../core/analytics/store.ts'
import { ioredisCache } from '../../core/edge-host/adapters/ioredis-cache.ts'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { createCoreApp } from '../../core/http/app.ts'
import { createSignalQueue, signalRoutes } from '../../core/ingestion/index.ts'
import { mockupRoutes } from '../../core/mockups/routes.ts'
import { experimentRoutes, openMetricsStore } from '../../core/optimization/index.ts'
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
export const KEYS: ApiKey[] = [{ name: 'tester', secret: SECRET }]

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
      routes: [
        signalRoutes({ queue: signals }),
        mockupRoutes({
          records,
          queue: mockups,
          storage: createFsMockupStorage({ root: join(dir, 'images') }),
        }),
        experimentRoutes({ store }),
        analyticsRoutes(createAnalyticsStore(pool)),
        latencyRoute({
          pool: latencyPool,
          metricsUrls: [`http://127.0.0.1:${source.port}/metrics`],
        }),
        adminRoutes({ queues: [signals.queue, mockups.queue], keys: KEYS }),
      ],
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
      db,
      rateLimit,
    })
    return { core, coreUrl, edge, pool, designIds, mockupId, close }
  } catch (error) {
    await close()
    throw error
  }
}
