/**
 * The edge in front of core, both served over HTTP and counting in one
 * Redis, the edge behind a trusted proxy: the edge names the client from
 * X-Forwarded-For, counts a tRPC batch once per call, and calls core with its
 * service credential and the caller's identity; core believes that identity
 * (its `c.var.client` and `apiKeyName` are the caller's) and counts nothing
 * again. A caller that forges the edge's headers at core directly gets
 * neither the identity nor a free pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import { listen } from '../../core/platform/http/listen.ts'
import { ioredisRateLimitStore } from '../../core/rate-limit/index.ts'
import { memoryCache, neonSql } from '../../edge/adapters/index.ts'
import { createEdgeApp } from '../../edge/app.ts'
import { parseApiKeys } from '../../edge/auth/index.ts'
import { ApiError } from '../../edge/errors/index.ts'
import {
  type ClientIdentity,
  EDGE_CLIENT_ADDRESS,
  EDGE_CLIENT_KEY_NAME,
  parseTrustProxy,
} from '../../edge/identity/index.ts'
import { createScoreService } from '../../edge/score/index.ts'
import { memoryLogger } from '../support/logs.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'

const SECRET = 'edge-core-user-secret-0123'
const SERVICE_KEY = 'edge-core-service-key-0123456789'
const keys = parseApiKeys(`tester:${SECRET}`)
const CLIENT = '203.0.113.7'
const MOCKUP = 'a1b2c3d4-0000-4000-8000-000000000000'

let redis: TestRedis
let edgeUrl: string
let coreUrl: string
const closers: (() => Promise<void>)[] = []
/** What core's routes saw: the identity, and the key name after auth. */
const seen: { client: ClientIdentity; apiKeyName?: string }[] = []

beforeAll(async () => {
  redis = createTestRedis('rate_limit_edge_core')
  const rateLimit = { store: ioredisRateLimitStore(redis.redis), limit: 100 }
  const core = createCoreApp({
    logger: memoryLogger(),
    observe: () => {},
    apiKeys: keys,
    rateLimit,
    edgeServiceKey: SERVICE_KEY,
    routes: [
      (app, requireKey) => {
        app.get('/analytics/top', (c) => {
          seen.push({ client: c.var.client })
          throw new ApiError(404, 'not_found', 'no designs')
        })
        app.get('/mockups/:id/:file', (c) => {
          seen.push({ client: c.var.client })
          throw new ApiError(404, 'not_found', 'no such image')
        })
        app.get('/mockups/:id', requireKey, (c) => {
          seen.push({ client: c.var.client, apiKeyName: c.var.apiKeyName })
          throw new ApiError(404, 'not_found', 'no such mock-up')
        })
      },
    ],
  })
  const coreServer = await listen(core, 0, '127.0.0.1')
  closers.push(coreServer.close)
  coreUrl = `http://127.0.0.1:${coreServer.port}`
  const edge = createEdgeApp({
    logger: memoryLogger(),
    observe: () => {},
    apiKeys: keys,
    rateLimit,
    coreUrl,
    serviceKey: SERVICE_KEY,
    // The proxy in front of the edge is this machine.
    trustProxy: parseTrustProxy('127.0.0.1'),
    db: neonSql({ connectionString: 'postgres://u@db.invalid/none' }),
    score: createScoreService({
      db: neonSql({ connectionString: 'postgres://u@db.invalid/none' }),
      cache: memoryCache(),
      ttlSeconds: 60,
    }),
  })
  const edgeServer = await listen(edge, 0, '127.0.0.1')
  closers.push(edgeServer.close)
  edgeUrl = `http://127.0.0.1:${edgeServer.port}`
})

afterAll(async () => {
  for (const close of closers.reverse()) await close()
  await redis?.cleanup()
})

const counted = (key: string) => redis.redis.get(key)
const coreKeys = () => redis.redis.keys(`${redis.prefix}rl:core:*`)

describe('The edge calling core', () => {
  it('Should count a batch once per call at the edge, for the client behind the proxy, and not at core', async () => {
    seen.length = 0
    const input = encodeURIComponent(JSON.stringify({ 0: {}, 1: {}, 2: {} }))
    const res = await fetch(
      `${edgeUrl}/trpc/analytics.topDesigns,analytics.topDesigns,analytics.topDesigns?batch=1&input=${input}`,
      { headers: { 'X-Forwarded-For': `198.51.100.66, ${CLIENT}` } },
    )
    expect(res.status).toBe(404)
    expect(res.headers.get('RateLimit-Remaining')).toBe('97')
    expect(await counted(`rl:edge:ip:${CLIENT}`)).toBe('3')
    expect(seen.map((s) => s.client)).toEqual(
      Array.from({ length: 3 }, () => ({ address: CLIENT, viaEdge: true })),
    )
    expect(await coreKeys()).toEqual([])
  })

  it("Should pass the caller's key name, which core's auth takes as the caller", async () => {
    seen.length = 0
    const input = encodeURIComponent(JSON.stringify({ id: MOCKUP }))
    const res = await fetch(`${edgeUrl}/trpc/mockups.get?input=${input}`, {
      headers: { Authorization: `Bearer ${SECRET}`, 'X-Forwarded-For': CLIENT },
    })
    expect(res.status).toBe(404)
    expect(seen).toEqual([
      { client: { keyName: 'tester', address: CLIENT, viaEdge: true }, apiKeyName: 'tester' },
    ])
    expect(await counted('rl:edge:key:tester')).toBe('1')
    expect(await coreKeys()).toEqual([])
  })

  it('Should vouch for the caller on image requests too', async () => {
    seen.length = 0
    const res = await fetch(`${edgeUrl}/mockups/${MOCKUP}/image.png`, {
      headers: { 'X-Forwarded-For': CLIENT },
    })
    expect(res.status).toBe(404)
    expect(seen).toEqual([{ client: { address: CLIENT, viaEdge: true } }])
    expect(await coreKeys()).toEqual([])
  })

  it("Should count a caller who forges the edge's headers at core, as itself", async () => {
    seen.length = 0
    const forged = { [EDGE_CLIENT_ADDRESS]: CLIENT, [EDGE_CLIENT_KEY_NAME]: 'tester' }
    const top = await fetch(`${coreUrl}/analytics/top`, { headers: forged })
    expect(top.status).toBe(404)
    expect(top.headers.get('RateLimit-Remaining')).toBe('99')
    const mockup = await fetch(`${coreUrl}/mockups/${MOCKUP}`, {
      headers: { ...forged, Authorization: 'Bearer wrong-service-key-0123456789' },
    })
    expect(mockup.status).toBe(401)
    expect(seen).toEqual([{ client: { address: '127.0.0.1', viaEdge: false } }])
    expect(await counted('rl:core:ip:127.0.0.1')).toBe('2')
  })
})
