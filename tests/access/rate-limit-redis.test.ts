/**
 * Rate limits counted in Redis: two core apps (two processes' worth) share
 * one count per key name, a 429 carries Retry-After, and a Redis that stops
 * (a private redis-server) makes the limiter fail open, logged, never a 5xx.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { ioredisRateLimitStore } from '../../core/rate-limit/index.ts'
import type { RateLimitStore } from '../../edge/rate-limit/index.ts'
import { startPrivateRedis } from '../../scripts/dev/embedded/index.ts'
import { memoryLogger } from '../support/logs.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'

const SECRET = 'rate-limit-test-secret-0123'
const keys = [{ name: 'limited', secret: SECRET }]
let shared: TestRedis
let dir: string

const coreApp = (store: RateLimitStore, limit: number, logger = memoryLogger()) =>
  createCoreApp({
    logger,
    observe: () => {},
    apiKeys: keys,
    rateLimit: { store, limit },
  })
const whoami = { headers: { Authorization: `Bearer ${SECRET}` } }

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
    const store = ioredisRateLimitStore(shared.redis)
    const a = coreApp(store, 3)
    const b = coreApp(store, 3)
    expect((await a.request('/v1/whoami', whoami)).status).toBe(200)
    expect((await b.request('/v1/whoami', whoami)).status).toBe(200)
    expect((await a.request('/v1/whoami', whoami)).status).toBe(200)
    const res = await b.request('/v1/whoami', whoami)
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    // The bucket is the key's name, and it expires with its window.
    const ttl = await shared.redis.pttl('ratelimit:v1:key:limited')
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(60_000)
  })

  it('Should fail open, logged, while its Redis is down, and limit again once it is back', async () => {
    const server = await startPrivateRedis({ dir })
    const redis = createRedis(server.url, { role: 'cache', name: 'rate-limit-test' })
    const logger = memoryLogger()
    const app = coreApp(ioredisRateLimitStore(redis), 1, logger)
    try {
      await waitFor(async () => ((await redis.ping().catch(() => '')) ? true : undefined), 'redis')
      expect((await app.request('/v1/whoami', whoami)).status).toBe(200)
      expect((await app.request('/v1/whoami', whoami)).status).toBe(429)
      await server.stop()
      for (let i = 0; i < 5; i++) expect((await app.request('/v1/whoami', whoami)).status).toBe(200)
      expect(logger.lines.some((l) => l.msg?.includes('rate-limit store failed'))).toBe(true)
      const again = await startPrivateRedis({ dir, port: server.port })
      try {
        // Back: counting again, from a fresh window (the private server kept nothing).
        await waitFor(async () => {
          const res = await app.request('/v1/whoami', whoami)
          return res.status === 429 ? true : undefined
        }, 'the limiter to count again')
      } finally {
        await again.stop()
      }
    } finally {
      redis.disconnect()
      await server.stop()
    }
  })
})
