/**
 * @module
 * What the gateway tests share: a private schema (signals, designs/events,
 * score_benchmarks), the real Redis under a key prefix (score cache and the
 * signal queue), a real core app on a free port, and the edge app with the
 * gateway served on another free port. Counters show how often the score
 * resolver and the database ran, for the validator-cache assertions.
 */
import { randomUUID } from 'node:crypto'
import { createTRPCClient, httpBatchLink, httpLink, type TRPCClient } from '@trpc/client'
import type { Hono } from 'hono'
import type { Redis } from 'ioredis'
import type pg from 'pg'
import { analyticsRoutes } from '../../core/analytics/routes.ts'
import { createAnalyticsStore } from '../../core/analytics/store.ts'
import { ioredisCache } from '../../core/edge-host/adapters/ioredis-cache.ts'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { type CoreRoutes, createCoreApp } from '../../core/http/app.ts'
import { createSignalQueue, type SignalQueue, signalRoutes } from '../../core/ingestion/index.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { listen } from '../../core/platform/http/listen.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { queueSettings } from '../../core/platform/queue/index.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { insertSignals, type SignalRow } from '../../core/signals/index.ts'
import { createEdgeApp, type EdgeAppOptions } from '../../edge/app.ts'
import type { SqlClient } from '../../edge/db/types.ts'
import { type AppRouter, scoreGetEtag } from '../../edge/gateway/index.ts'
import { createScoreService, type ScoreService } from '../../edge/score/index.ts'
import { seedAnalytics } from '../../scripts/dev/demo-data/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'

export const SECRET = 'gateway-test-secret-0123'
export const AUTH = `Bearer ${SECRET}`
export const API_KEYS = [{ name: 'tester', tenant: 'tester', secret: SECRET }]
export const NOW = new Date('2026-06-01T00:00:00Z')
/** A period inside the seeded events. */
export const PERIOD = { from: '2026-05-02T00:00:00Z', to: '2026-06-01T00:00:00Z' }
export const silentLogger = createLogger({ service: 'test', level: 'silent' })

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000)
const SIGNALS: SignalRow[] = ['etsy', 'pinterest', 'reddit'].map((source, i) => ({
  topic: 'gateway owls',
  product: i === 0 ? 'mug' : null,
  source,
  metric: 'saves',
  value: 10 * (i + 1),
  observedAt: hoursAgo(2 + 20 * i),
}))

/** One response the client received, read in full. */
export interface Seen {
  url: string
  method: string
  status: number
  headers: Headers
  body: string
}

/** A `fetch` that records every response the tRPC client gets. */
export function recordingFetch(target: (url: string, init?: RequestInit) => Promise<Response>) {
  const seen: Seen[] = []
  const fetchFn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const res = await target(url, init)
    const body = await res.text()
    seen.push({
      url,
      method: init?.method ?? 'GET',
      status: res.status,
      headers: res.headers,
      body,
    })
    return new Response(res.status === 304 ? null : body, {
      status: res.status,
      headers: res.headers,
    })
  }
  return { seen, fetch: fetchFn, last: () => seen.at(-1)! }
}

/** Client options. */
export interface ClientOptions {
  /** Send the test key. @defaultValue false */
  auth?: boolean
  /** Batch calls (`httpBatchLink`) or send each alone (`httpLink`). @defaultValue true */
  batch?: boolean
  authorization?: string
}

/** A typed client of `url` plus what it received. */
export function gatewayClient(
  url: string,
  target: (url: string, init?: RequestInit) => Promise<Response>,
  options: ClientOptions = {},
): { client: TRPCClient<AppRouter>; seen: Seen[]; last: () => Seen } {
  const recorder = recordingFetch(target)
  const authorization = options.authorization ?? (options.auth ? AUTH : undefined)
  const headers = () => (authorization ? { Authorization: authorization } : {})
  const link =
    options.batch === false
      ? httpLink({ url, fetch: recorder.fetch, headers })
      : httpBatchLink({ url, fetch: recorder.fetch, headers, maxItems: 20 })
  return {
    client: createTRPCClient<AppRouter>({ links: [link] }),
    seen: recorder.seen,
    last: recorder.last,
  }
}

/** A real SqlClient counting the statements it runs. */
export function countingSql(pool: pg.Pool): SqlClient & { calls: number } {
  const sql = pgSql(pool)
  const counter = {
    calls: 0,
    query<Row extends object>(text: string, params: readonly unknown[]) {
      counter.calls++
      return sql.query<Row>(text, params)
    },
  }
  return counter
}

/** The running stack. */
export interface GatewayStack {
  pool: pg.Pool
  /** The designs seeded, most popular first. */
  designIds: number[]
  queue: SignalQueue
  db: SqlClient & { calls: number }
  service: ScoreService
  /** How often the `score.get` resolver asked the score service. */
  resolverCalls: () => number
  coreUrl: string
  /** The edge app with the gateway, served on `edgeUrl`. */
  app: Hono
  edgeUrl: string
  /** Another edge app on the same stack with other options (served in process). */
  edgeApp: (options: Partial<EdgeAppOptions>) => Hono
  /** Starts another core with `routes` (stopped by close). */
  startCore: (routes: CoreRoutes[]) => Promise<string>
  close: () => Promise<void>
}

/** Starts everything for one test file. */
export async function startGatewayStack(label: string): Promise<GatewayStack> {
  const cleanups: (() => Promise<unknown>)[] = []
  const close = async () => {
    // Every step runs even when one fails.
    for (const step of cleanups.reverse()) await step().catch(() => {})
  }
  try {
    const schema: TestSchema = await createTestSchema(label)
    cleanups.push(schema.drop)
    const pool = createPool({ url: schema.url, schema: schema.schema, size: 4, name: label })
    cleanups.push(() => pool.end())
    await migrate(pool, { schema: schema.schema })
    await insertSignals(pool, SIGNALS)
    const designIds = await seedAnalytics(pool, {
      designs: 30,
      events: 4000,
      seed: 11,
      now: NOW,
      days: 30,
      batchSize: 4000,
    })

    const cacheRedis: TestRedis = createTestRedis(label)
    cleanups.push(cacheRedis.cleanup)
    const connection: Redis = createRedis(testRedisUrl(), { role: 'queue', name: `test-${label}` })
    const queue = createSignalQueue(
      connection,
      queueSettings({ prefix: `test-${label}-${randomUUID().slice(0, 8)}` }),
    )
    cleanups.push(async () => {
      await queue.queue.obliterate({ force: true }).catch(() => {})
      await queue.close()
      await connection.quit()
    })
    await queue.queue.waitUntilReady()

    const startCore = async (routes: CoreRoutes[]) => {
      const app = createCoreApp({
        logger: silentLogger,
        observe: () => {},
        apiKeys: API_KEYS,
        routes,
      })
      const server = await listen(app, 0, '127.0.0.1')
      cleanups.push(server.close)
      return `http://127.0.0.1:${server.port}`
    }
    const coreUrl = await startCore([
      analyticsRoutes(createAnalyticsStore(pool)),
      signalRoutes({ queue }),
    ])

    const db = countingSql(pool)
    const service = createScoreService({
      db,
      cache: ioredisCache(cacheRedis.redis),
      ttlSeconds: 300,
      etagOf: scoreGetEtag,
    })
    let resolverCalls = 0
    // The resolver reaches the service through `get`; the validator cache through `etag`.
    const counted: ScoreService = {
      ...service,
      get: (query) => {
        resolverCalls++
        return service.get(query)
      },
    }
    const edgeApp = (options: Partial<EdgeAppOptions>) =>
      createEdgeApp({
        logger: silentLogger,
        observe: () => {},
        score: counted,
        apiKeys: API_KEYS,
        coreUrl,
        db,
        ...options,
      })
    const app = edgeApp({})
    const edge = await listen(app, 0, '127.0.0.1')
    cleanups.push(edge.close)
    return {
      pool,
      designIds,
      queue,
      db,
      service,
      resolverCalls: () => resolverCalls,
      coreUrl,
      app,
      edgeUrl: `http://127.0.0.1:${edge.port}`,
      edgeApp,
      startCore,
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
