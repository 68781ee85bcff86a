/**
 * `/score` on a runtime with an execution context (workerd): the background
 * refresh of a stale answer is handed to `executionCtx.waitUntil`, so the
 * runtime keeps it alive after the response. Real PostgreSQL and Redis.
 */
import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { Redis } from 'ioredis'
import type pg from 'pg'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ioredisCache } from '../../core/edge-host/adapters/ioredis-cache.ts'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { scoreCacheCounter, scoreRefreshCounter } from '../../core/edge-host/metrics.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import { createScoreService, scoreRoute } from '../../edge/score/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'

const prefix = `test:score-waituntil:${randomUUID()}:`
let schema: TestSchema
let pool: pg.Pool
let redis: Redis

beforeAll(async () => {
  schema = await createTestSchema('score_waituntil')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 2, name: 'score_waituntil' })
  await migrate(pool, { schema: schema.schema })
  redis = new Redis(testRedisUrl(), { keyPrefix: prefix })
})

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`)
  // keys() answers with the prefix; del() would add it again.
  if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)))
  redis.disconnect()
  await pool.end()
  await schema.drop()
})

it('Should hand the refresh of a stale answer to executionCtx.waitUntil, and count both', async () => {
  const clock = { t: Date.now() }
  const registry = new Registry()
  const score = createScoreService({
    db: pgSql(pool),
    cache: ioredisCache(redis),
    ttlSeconds: 300,
    softTtlSeconds: 60,
    random: () => 1,
    now: () => new Date(clock.t),
    l1: false,
    countCacheRequest: scoreCacheCounter(registry),
    countRefresh: scoreRefreshCounter(registry),
  })
  const app = new Hono()
  scoreRoute(app, score)
  const kept: Promise<unknown>[] = []
  const ctx = {
    waitUntil: (p: Promise<unknown>) => kept.push(p),
    passThroughOnException() {},
    props: {},
  }
  const ask = () => app.fetch(new Request('http://edge/score?topic=kept%20alive'), {}, ctx)
  expect((await ask()).headers.get('X-Cache')).toBe('MISS')
  expect(kept).toHaveLength(0)
  clock.t += 61_000
  const stale = await ask()
  expect(stale.headers.get('X-Cache')).toBe('STALE')
  expect(kept).toHaveLength(1)
  await Promise.all(kept)
  const fresh = await ask()
  expect(fresh.headers.get('X-Cache')).toBe('HIT')
  expect(((await fresh.json()) as { computedAt: string }).computedAt).toBe(
    new Date(clock.t).toISOString(),
  )
  const families = parsePrometheusText(await registry.metrics())
  const sample = (name: string, labels: Record<string, string>) =>
    sampleValue(families, name, labels)
  expect(sample('score_cache_requests_total', { tier: 'redis', result: 'stale' })).toBe(1)
  expect(sample('score_cache_refreshes_total', { outcome: 'refreshed' })).toBe(1)
  expect(sample('score_cache_refreshes_total', { outcome: 'error' })).toBe(0)
})
