/**
 * /score against the real PostgreSQL and Redis: cache tiers and headers,
 * expiry, normalisation, single flight, bad input, and the score against a
 * reference computed here from the rows.
 */
import type { Hono } from 'hono'
import type pg from 'pg'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ioredisCache } from '../../core/edge-host/adapters/ioredis-cache.ts'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { scoreCacheCounter } from '../../core/edge-host/metrics.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import { insertSignals, type SignalRow } from '../../core/signals/insert.ts'
import { createEdgeApp } from '../../edge/app.ts'
import type { SqlClient } from '../../edge/db/types.ts'
import { computeScore, createScoreService, type ScoreResult } from '../../edge/score/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'

const NOW = new Date('2026-06-01T12:00:00Z')
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000)
const logger = createLogger({ service: 'test', level: 'silent' })

let schema: TestSchema
let pool: pg.Pool
let cache: TestRedis

/** A small data set whose aggregates are worked out below by hand. */
const ROWS: SignalRow[] = [
  // "retro cats": 2 recent (one for mugs), 3 in the baseline, one too old, one in the future.
  {
    topic: 'retro cats',
    product: null,
    source: 'pinterest',
    metric: 'saves',
    value: 100,
    observedAt: hoursAgo(1),
  },
  {
    topic: 'retro cats',
    product: 'mug',
    source: 'etsy',
    metric: 'sales',
    value: 20,
    observedAt: hoursAgo(5),
  },
  {
    topic: 'retro cats',
    product: 'shirt',
    source: 'tiktok',
    metric: 'views',
    value: 30,
    observedAt: hoursAgo(30),
  },
  {
    topic: 'retro cats',
    product: null,
    source: 'pinterest',
    metric: 'saves',
    value: 40,
    observedAt: hoursAgo(50),
  },
  {
    topic: 'retro cats',
    product: 'mug',
    source: 'reddit',
    metric: 'mentions',
    value: 50,
    observedAt: hoursAgo(100),
  },
  {
    topic: 'retro cats',
    product: null,
    source: 'google_trends',
    metric: 'search_index',
    value: 999,
    observedAt: hoursAgo(24 * 7 + 1),
  },
  {
    topic: 'retro cats',
    product: null,
    source: 'google_trends',
    metric: 'search_index',
    value: 999,
    observedAt: hoursAgo(-1),
  },
  {
    topic: 'boho frogs',
    product: 'poster',
    source: 'instagram',
    metric: 'likes',
    value: 10,
    observedAt: hoursAgo(2),
  },
]

/** Reference aggregation, written independently of the SQL. */
function reference(topic: string, product?: string) {
  const inWindow = ROWS.filter(
    (r) =>
      r.topic === topic &&
      r.observedAt > hoursAgo(24 * 7) &&
      r.observedAt <= NOW &&
      (product === undefined || r.product === product || r.product === null),
  )
  const recent = inWindow.filter((r) => r.observedAt > hoursAgo(24))
  const baseline = inWindow.filter((r) => r.observedAt <= hoursAgo(24))
  const sum = (rows: SignalRow[]) => rows.reduce((s, r) => s + r.value, 0)
  return computeScore(
    {
      recentCount: recent.length,
      recentSum: sum(recent),
      baselineCount: baseline.length,
      baselineSum: sum(baseline),
      sources: new Set(inWindow.map((r) => r.source)).size,
      lastObservedAt: inWindow.length
        ? new Date(Math.max(...inWindow.map((r) => r.observedAt.getTime())))
        : null,
    },
    NOW,
  )
}

/** The real pg client, counting the statements it runs. */
function countingSql(): SqlClient & { calls: number } {
  const sql = pgSql(pool)
  const counter = {
    calls: 0,
    query: <Row extends object>(text: string, params: readonly unknown[]) => {
      counter.calls++
      return sql.query<Row>(text, params)
    },
  }
  return counter
}

function app(
  options: {
    ttlSeconds?: number
    l1?: false | { maxEntries: number; ttlMs: number }
    db?: SqlClient
  } = {},
) {
  const registry = new Registry()
  const counting = countingSql()
  const db = options.db ?? counting
  const score = createScoreService({
    db,
    cache: ioredisCache(cache.redis),
    ttlSeconds: options.ttlSeconds ?? 60,
    l1: options.l1 ?? false,
    countCacheRequest: scoreCacheCounter(registry),
    now: () => NOW,
  })
  const hono: Hono = createEdgeApp({ logger, observe: () => {}, score })
  return { hono, registry, queries: () => counting.calls }
}

async function get(hono: Hono, query: string) {
  const res = await hono.request(`/score?${query}`)
  return {
    res,
    body: (await res.json()) as ScoreResult & {
      error?: { code: string; message: string; details: { field: string } }
    },
  }
}

beforeAll(async () => {
  schema = await createTestSchema('score')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 5, name: 'score_test' })
  await migrate(pool, { schema: schema.schema })
  await insertSignals(pool, ROWS)
  cache = createTestRedis('score')
})

afterAll(async () => {
  await cache.cleanup()
  await pool.end()
  await schema.drop()
})

describe('GET /score', () => {
  it('Should compute the score from one SQL aggregation, matching the reference', async () => {
    const { hono } = app()
    const all = await get(hono, 'topic=retro%20cats')
    expect(all.res.status).toBe(200)
    expect(all.body).toEqual({
      topic: 'retro cats',
      product: null,
      ...reference('retro cats'),
      computedAt: NOW.toISOString(),
    })
    // Worked by hand: recent 100+20, baseline 30+40+50 over 6 days = 20 a day,
    // 4 sources, newest 1 h old.
    expect(all.body.components).toEqual({
      momentum: 1,
      volume: Math.round((Math.log10(241) / Math.log10(100_001)) * 1e4) / 1e4,
      diversity: 0.8,
      recency: Math.round(Math.exp(-1 / 24) * 1e4) / 1e4,
    })
    const mug = await get(hono, 'topic=retro%20cats&product=mug')
    expect(mug.body).toMatchObject({ product: 'mug', ...reference('retro cats', 'mug') })
    // The shirt signal does not count for mugs: fewer sources than all products.
    expect(mug.body.components.diversity).toBeLessThan(all.body.components.diversity)
    const none = await get(hono, 'topic=nobody%20searches%20this')
    expect(none.body).toMatchObject({ score: 0 })
  })

  it('Should answer MISS, then HIT from Redis, with Cache-Control', async () => {
    const { hono, registry, queries } = app({ ttlSeconds: 60 })
    const first = await get(hono, 'topic=boho%20frogs')
    expect(first.res.headers.get('X-Cache')).toBe('MISS')
    // Without settings the HTTP caching follows the TTLs: soft 12 s (a fifth of 60).
    expect(first.res.headers.get('Cache-Control')).toBe(
      'public, max-age=6, s-maxage=12, stale-while-revalidate=48, stale-if-error=60',
    )
    // Public and the same for every caller and encoding: nothing to vary on.
    expect(first.res.headers.get('Vary')).toBeNull()
    const second = await get(hono, 'topic=boho%20frogs')
    expect(second.res.headers.get('X-Cache')).toBe('HIT')
    expect(second.res.headers.get('X-Cache-Tier')).toBe('redis')
    expect(second.body).toEqual(first.body)
    expect(queries()).toBe(1)
    const families = parsePrometheusText(await registry.metrics())
    expect(
      sampleValue(families, 'score_cache_requests_total', { tier: 'redis', result: 'miss' }),
    ).toBe(1)
    expect(
      sampleValue(families, 'score_cache_requests_total', { tier: 'redis', result: 'hit' }),
    ).toBe(1)
    expect(
      sampleValue(families, 'score_cache_requests_total', { tier: 'redis', result: 'error' }),
    ).toBe(0)
  })

  it('Should store under score:v1:<hash> with the configured expiry', async () => {
    const { hono } = app({ ttlSeconds: 45 })
    await get(hono, 'topic=retro%20cats&product=shirt')
    const keys = await cache.redis.keys(`${cache.prefix}score:v1:*`)
    expect(keys.length).toBeGreaterThan(0)
    for (const key of keys) expect(key).toMatch(/score:v1:[0-9a-f]{64}$/)
    const ttls = await Promise.all(keys.map((k) => cache.redis.ttl(k.slice(cache.prefix.length))))
    expect(Math.max(...ttls)).toBeLessThanOrEqual(60)
    expect(ttls).toContain(45)
  })

  it('Should expire after the TTL and compute again', async () => {
    const { hono, queries } = app({ ttlSeconds: 1 })
    expect((await get(hono, 'topic=retro%20cats&product=poster')).res.headers.get('X-Cache')).toBe(
      'MISS',
    )
    expect((await get(hono, 'topic=retro%20cats&product=poster')).res.headers.get('X-Cache')).toBe(
      'HIT',
    )
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect((await get(hono, 'topic=retro%20cats&product=poster')).res.headers.get('X-Cache')).toBe(
      'MISS',
    )
    expect(queries()).toBe(2)
  })

  it('Should normalise topics to one key', async () => {
    const { hono } = app()
    const a = await get(hono, 'topic=%20%20BOHO%20%20%20Frogs%20&product=poster')
    const b = await get(hono, 'topic=boho%20frogs&product=poster')
    expect(a.body.topic).toBe('boho frogs')
    expect(b.res.headers.get('X-Cache')).toBe('HIT')
    expect(b.body).toEqual(a.body)
  })

  it('Should compute once for 50 concurrent misses of one key', async () => {
    const { hono, queries } = app()
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => hono.request('/score?topic=retro%20cats&product=shirt&x=1')),
    )
    expect(responses.every((r) => r.status === 200)).toBe(true)
    const bodies = await Promise.all(responses.map((r) => r.json()))
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1)
    // The key may be in Redis from an earlier test of this file: then no query at all.
    expect(queries()).toBeLessThanOrEqual(1)
    const fresh = app()
    const distinct = await Promise.all(
      Array.from({ length: 50 }, () => fresh.hono.request('/score?topic=single%20flight%20topic')),
    )
    expect(distinct.filter((r) => r.headers.get('X-Cache') === 'MISS')).toHaveLength(50)
    expect(fresh.queries()).toBe(1)
  })

  it('Should serve from L1 and agree with Redis', async () => {
    const withL1 = app({ l1: { maxEntries: 100, ttlMs: 60_000 } })
    const miss = await get(withL1.hono, 'topic=l1%20check')
    expect(miss.res.headers.get('X-Cache')).toBe('MISS')
    const l1 = await get(withL1.hono, 'topic=l1%20check')
    expect(l1.res.headers.get('X-Cache-Tier')).toBe('l1')
    const redisOnly = await get(app().hono, 'topic=l1%20check')
    expect(redisOnly.res.headers.get('X-Cache-Tier')).toBe('redis')
    expect(l1.body).toEqual(redisOnly.body)
    expect(l1.body).toEqual(miss.body)
  })

  it.each([
    ['', 'topic', /topic is required/],
    ['topic=', 'topic', /topic must not be empty/],
    ['topic=%20%20', 'topic', /topic must not be empty/],
    [`topic=${'a'.repeat(101)}`, 'topic', /at most 100 characters/],
    ['topic=cats%00', 'topic', /without control characters/],
    ['topic=caf%FF', 'topic', /valid UTF-8/],
    ['topic=cats&product=sofa', 'product', /product must be one of shirt, mug, poster/],
  ])('Should refuse "%s" with 400 naming %s', async (query, field, message) => {
    const { hono, queries } = app()
    const { res, body } = await get(hono, query)
    expect(res.status).toBe(400)
    expect(body.error?.code).toBe('invalid_query')
    expect(body.error?.message).toMatch(message)
    expect(body.error?.details.field).toBe(field)
    expect(queries()).toBe(0)
  })

  it('Should answer 503 JSON with Retry-After when the database is down', async () => {
    const deadPool = createPool({
      url: 'postgres://postgres@127.0.0.1:1/none',
      name: 'dead',
      connectionTimeoutMs: 500,
    })
    try {
      const { hono } = app({ db: pgSql(deadPool) })
      const { res, body } = await get(hono, 'topic=database%20down')
      expect(res.status).toBe(503)
      expect(res.headers.get('Retry-After')).toBe('5')
      expect(body.error?.code).toBe('database_unavailable')
    } finally {
      await deadPool.end()
    }
  })

  it('Should read the topic window through the index', async () => {
    const client = await pool.connect()
    try {
      await client.query('SET enable_seqscan = off') // the tiny table would otherwise be scanned
      const { rows } = await client.query(
        `EXPLAIN (FORMAT JSON) ${(await import('../../edge/score/sql.ts')).SCORE_SQL}`,
        ['retro cats', null, NOW.toISOString()],
      )
      expect(JSON.stringify(rows[0])).toContain('signals_topic_observed_at')
    } finally {
      client.release()
    }
  })
})
