/**
 * /score when Redis fails: a private redis-server stopped mid-test, and a
 * "Redis" that accepts connections but never answers. The shared Redis is
 * never touched.
 */
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ioredisCache } from '../../core/edge-host/adapters/ioredis-cache.ts'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { scoreCacheCounter } from '../../core/edge-host/metrics.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { insertSignals } from '../../core/signals/insert.ts'
import { createEdgeApp } from '../../edge/app.ts'
import { createScoreService } from '../../edge/score/index.ts'
import { startPrivateRedis } from '../../scripts/dev/embedded/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'
import { startTcpProxy } from '../support/tcp-proxy.ts'

const logger = createLogger({ service: 'test', level: 'silent' })
let schema: TestSchema
let pool: pg.Pool
let dir: string

function appOn(redisUrl: string) {
  const registry = new Registry()
  const redis = createRedis(redisUrl, { role: 'cache', name: 'fault-test', cacheTimeoutMs: 200 })
  const score = createScoreService({
    db: pgSql(pool),
    cache: ioredisCache(redis),
    ttlSeconds: 60,
    l1: false,
    countCacheRequest: scoreCacheCounter(registry),
  })
  return { hono: createEdgeApp({ logger, observe: () => {}, score }), registry, redis }
}

const errors = async (registry: Registry) =>
  sampleValue(parsePrometheusText(await registry.metrics()), 'score_cache_requests_total', {
    tier: 'redis',
    result: 'error',
  })

beforeAll(async () => {
  schema = await createTestSchema('score_faults')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 3, name: 'score_faults' })
  await migrate(pool, { schema: schema.schema })
  await insertSignals(pool, [
    {
      topic: 'vintage owls',
      product: null,
      source: 'etsy',
      metric: 'sales',
      value: 3,
      observedAt: new Date(),
    },
  ])
  dir = await mkdtemp(join(tmpdir(), 'score-faults-'))
})

afterAll(async () => {
  await pool.end()
  await schema.drop()
  await rm(dir, { recursive: true, force: true })
})

describe('/score with Redis failing', () => {
  it('Should bypass a Redis stopped mid-test, count the errors, and never 5xx', async () => {
    const server = await startPrivateRedis({ dir })
    const { hono, registry, redis } = appOn(server.url)
    try {
      await once(redis, 'ready')
      const before = await hono.request('/score?topic=vintage%20owls')
      expect(before.headers.get('X-Cache')).toBe('MISS')
      expect((await hono.request('/score?topic=vintage%20owls')).headers.get('X-Cache')).toBe('HIT')

      await server.stop()
      const during = await Promise.all(
        Array.from({ length: 5 }, () => hono.request('/score?topic=vintage%20owls')),
      )
      for (const res of during) {
        expect(res.status).toBe(200)
        expect(res.headers.get('X-Cache')).toBe('BYPASS')
        expect(await res.json()).toMatchObject({ topic: 'vintage owls' })
      }
      expect(await errors(registry)).toBeGreaterThanOrEqual(1)
    } finally {
      redis.disconnect()
      await server.stop()
    }
  })

  it('Should time out a Redis that stops answering and answer from the database', async () => {
    const proxy = await startTcpProxy(Number(new URL(testRedisUrl()).port || 6379))
    const { hono, registry, redis } = appOn(proxy.through(testRedisUrl()))
    try {
      await once(redis, 'ready')
      expect((await hono.request('/score?topic=vintage%20owls&product=mug')).status).toBe(200)
      const before = (await errors(registry)) ?? 0
      proxy.stall() // connected and ready, but no reply will come
      const res = await hono.request('/score?topic=vintage%20owls&product=mug')
      expect(res.status).toBe(200)
      expect(res.headers.get('X-Cache')).toBe('BYPASS')
      expect(await errors(registry)).toBe(before + 1)
      proxy.resume()
    } finally {
      redis.disconnect()
      await proxy.close()
    }
  })
})
