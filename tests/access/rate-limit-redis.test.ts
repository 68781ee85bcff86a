/**
 * Rate limits counted in Redis: two core apps (two processes' worth) share
 * one count per key name, the edge and core count in key spaces of their
 * own, and a Redis that stops (a private redis-server) makes each process
 * count in memory against its share of the limit, with one log line and the
 * fallback metrics on entering and on leaving, never a 5xx.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { rateLimitFromConfig } from '../../core/rate-limit/from-config.ts'
import { ioredisRateLimitStore } from '../../core/rate-limit/index.ts'
import { memoryCache, neonSql } from '../../edge/adapters/index.ts'
import { createEdgeApp } from '../../edge/app.ts'
import { parseApiKeys } from '../../edge/auth/index.ts'
import type { RateLimitSettings } from '../../edge/rate-limit/index.ts'
import { createScoreService } from '../../edge/score/index.ts'
import { startPrivateRedis } from '../../scripts/dev/embedded/index.ts'
import { memoryLogger } from '../support/logs.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'

const SECRET = 'rate-limit-test-secret-0123'
const keys = parseApiKeys(`limited:${SECRET}`)
let shared: TestRedis
let dir: string

const coreApp = (rateLimit: RateLimitSettings | undefined, logger = memoryLogger()) =>
  createCoreApp({ logger, observe: () => {}, apiKeys: keys, rateLimit })
const whoami = { headers: { Authorization: `Bearer ${SECRET}` } }

async function gauge(registry: Registry, name: string): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)
  return metric?.values.find((v) => v.labels.service === 'core')?.value
}

beforeAll(async () => {
  shared = createTestRedis('rate_limit')
  dir = await mkdtemp(join(tmpdir(), 'rate-limit-'))
})

afterAll(async () => {
  await shared.cleanup()
  await rm(dir, { recursive: true, force: true })
})

describe('Rate limits in Redis', () => {
  it('Should share one count per key name across apps and answer 429 with Retry-After', async () => {
    const settings = { store: ioredisRateLimitStore(shared.redis), limit: 3 }
    const a = coreApp(settings)
    const b = coreApp(settings)
    expect((await a.request('/v1/whoami', whoami)).status).toBe(200)
    expect((await b.request('/v1/whoami', whoami)).status).toBe(200)
    expect((await a.request('/v1/whoami', whoami)).status).toBe(200)
    const res = await b.request('/v1/whoami', whoami)
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    // The bucket is the key's name in core's key space, and it expires with its window.
    const ttl = await shared.redis.pttl('rl:core:key:limited')
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(60_000)
  })

  it('Should count the edge and core apart in one Redis', async () => {
    const redis = createTestRedis('rate_limit_spaces')
    try {
      const settings = { store: ioredisRateLimitStore(redis.redis), limit: 5 }
      const edge = createEdgeApp({
        logger: memoryLogger(),
        observe: () => {},
        apiKeys: keys,
        rateLimit: settings,
        score: createScoreService({
          db: neonSql({ connectionString: 'postgres://u@db.invalid/none' }),
          cache: memoryCache(),
          ttlSeconds: 60,
        }),
      })
      await edge.request('/nowhere', whoami)
      await edge.request('/nowhere', whoami)
      await coreApp(settings).request('/v1/whoami', whoami)
      expect(await redis.redis.get('rl:edge:key:limited')).toBe('2')
      expect(await redis.redis.get('rl:core:key:limited')).toBe('1')
    } finally {
      await redis.cleanup()
    }
  })

  it("Should count each process's share in memory while Redis is down, and share again once back", async () => {
    const server = await startPrivateRedis({ dir })
    const redis = createRedis(server.url, { role: 'cache', name: 'rate-limit-test' })
    const registry = new Registry()
    const logger = memoryLogger()
    // Four a minute shared by two processes: two each while Redis is away.
    const limiter = rateLimitFromConfig(
      { RATE_LIMIT_PER_MINUTE: 4, REDIS_URL: undefined, RATE_LIMIT_PROCESSES: 2 },
      'core',
      pino({ enabled: false }),
      { redis, registry },
    )
    const app = coreApp(limiter.options, logger)
    const statuses = async (n: number) => {
      const out = []
      for (let i = 0; i < n; i++) out.push((await app.request('/v1/whoami', whoami)).status)
      return out
    }
    const logged = (text: string) => logger.lines.filter((l) => l.msg?.includes(text)).length
    try {
      await waitFor(async () => ((await redis.ping().catch(() => '')) ? true : undefined), 'redis')
      expect(await statuses(5)).toEqual([200, 200, 200, 200, 429])
      expect(await gauge(registry, 'rate_limit_fallback_active')).toBe(0)

      await server.stop()
      // A fresh in-memory window, held to this process's share: 2.
      expect(await statuses(3)).toEqual([200, 200, 429])
      expect(await gauge(registry, 'rate_limit_fallback_active')).toBe(1)
      expect(await gauge(registry, 'rate_limit_fallback_requests_total')).toBe(3)
      expect(logged('counting in memory')).toBe(1)

      const again = await startPrivateRedis({ dir, port: server.port })
      try {
        // Back: counting in Redis again, from a fresh window (the private server kept nothing).
        await waitFor(async () => {
          const res = await app.request('/v1/whoami', whoami)
          return res.headers.get('RateLimit-Limit') === '4' ? true : undefined
        }, 'the limiter to count in Redis again')
        expect(await gauge(registry, 'rate_limit_fallback_active')).toBe(0)
        expect(logged('counting in memory')).toBe(1)
        expect(logged('store is back')).toBe(1)
      } finally {
        await again.stop()
      }
    } finally {
      redis.disconnect()
      await server.stop()
    }
  })
})
