/**
 * Stale-while-revalidate on real PostgreSQL and Redis: keys expire (past the
 * soft TTL) under concurrent load on two score services standing for two
 * processes sharing one Redis. A counting wrapper around the real SqlClient,
 * closed while the requests run, shows that no request but each key's first
 * miss waited for the database, and that each key was refreshed once per expiry.
 */
import { randomUUID } from 'node:crypto'
import type { Hono } from 'hono'
import { Redis } from 'ioredis'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ioredisCache } from '../../core/edge-host/adapters/ioredis-cache.ts'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { insertSignals } from '../../core/signals/insert.ts'
import { createEdgeApp } from '../../edge/app.ts'
import type { SqlClient } from '../../edge/db/types.ts'
import {
  createScoreService,
  type RefreshOutcome,
  type ScoreResult,
  type ScoreService,
} from '../../edge/score/index.ts'
import { freePort } from '../../scripts/dev/embedded/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'

const logger = createLogger({ service: 'test', level: 'silent' })
const TOPICS = Array.from({ length: 8 }, (_, i) => `stale topic ${i}`)
const SOFT_S = 60
const HARD_S = 300

let schema: TestSchema
let pool: pg.Pool
const connections: Redis[] = []
/** This run's key prefix: a second run of the file at once keeps its own keys. */
const RUN = `test:score-stale:${randomUUID()}:`

/**
 * The real SqlClient, counting its queries; while `closed`, queries wait for
 * `open()`: a request that needed the database could not finish.
 */
function countingSql(inner: SqlClient) {
  let release: (() => void) | undefined
  let gate: Promise<void> | undefined
  const counter = {
    queries: 0,
    close() {
      gate = new Promise((resolve) => {
        release = resolve
      })
    },
    open() {
      release?.()
      gate = undefined
    },
    sql: {
      async query<Row extends object>(text: string, params: readonly unknown[]): Promise<Row[]> {
        counter.queries++
        if (gate) await gate
        return inner.query<Row>(text, params)
      },
    } satisfies SqlClient,
  }
  return counter
}

/** A score service and its app, as one process holds them, on the shared clock and Redis prefix. */
function process_(
  db: SqlClient,
  prefix: string,
  clock: { t: number },
  extra: { random?: () => number } = {},
) {
  const redis = new Redis(testRedisUrl(), { keyPrefix: prefix })
  connections.push(redis)
  const outcomes: RefreshOutcome[] = []
  const score = createScoreService({
    db,
    cache: ioredisCache(redis),
    ttlSeconds: HARD_S,
    softTtlSeconds: SOFT_S,
    // -ln(1) = 0: no early refresh, so every refresh here is an expiry's.
    random: extra.random ?? (() => 1),
    l1: { maxEntries: 100, ttlMs: 60_000 },
    now: () => new Date(clock.t),
    countRefresh: (outcome) => outcomes.push(outcome),
  })
  const app = createEdgeApp({ logger, observe: () => {}, score })
  return { score, app, outcomes }
}

async function ask(app: Hono, topic: string) {
  const res = await app.request(`/score?topic=${encodeURIComponent(topic)}`)
  expect(res.status).toBe(200)
  const body = (await res.json()) as ScoreResult
  return { xCache: res.headers.get('X-Cache'), computedAt: body.computedAt }
}

/** `perKey` concurrent requests for every topic, alternating between the apps. */
function burst(apps: Hono[], perKey: number) {
  return Promise.all(
    TOPICS.flatMap((topic) =>
      Array.from({ length: perKey }, (_, i) => ask(apps[i % apps.length]!, topic)),
    ),
  )
}

const tally = (values: readonly (string | null)[]) =>
  values.reduce<Record<string, number>>((acc, v) => {
    acc[v ?? 'none'] = (acc[v ?? 'none'] ?? 0) + 1
    return acc
  }, {})

const settled = (...services: ScoreService[]) => Promise.all(services.map((s) => s.settled()))

beforeAll(async () => {
  schema = await createTestSchema('score_stale')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 4, name: 'score_stale' })
  await migrate(pool, { schema: schema.schema })
  await insertSignals(
    pool,
    TOPICS.map((topic, i) => ({
      topic,
      product: null,
      source: 'etsy',
      metric: 'sales',
      value: i + 1,
      observedAt: new Date(),
    })),
  )
})

afterAll(async () => {
  const direct = new Redis(testRedisUrl())
  const keys = await direct.keys(`${RUN}*`)
  if (keys.length > 0) await direct.del(...keys)
  direct.disconnect()
  for (const redis of connections) redis.disconnect()
  await pool.end()
  await schema.drop()
})

describe('/score past the soft TTL, two processes on one Redis', () => {
  it('Should make only first misses wait for the database and refresh each key once per expiry', async () => {
    const db = countingSql(pgSql(pool))
    const prefix = `${RUN}${randomUUID()}:`
    const clock = { t: Date.now() }
    const a = process_(db.sql, prefix, clock)
    const b = process_(db.sql, prefix, clock)
    const apps = [a.app, b.app]

    // Each key's first miss, on A; B then finds it in Redis.
    const first = await Promise.all(TOPICS.map((topic) => ask(a.app, topic)))
    expect(tally(first.map((r) => r.xCache))).toEqual({ MISS: TOPICS.length })
    expect(db.queries).toBe(TOPICS.length)
    expect(tally((await burst([b.app], 1)).map((r) => r.xCache))).toEqual({ HIT: TOPICS.length })

    for (let expiry = 1; expiry <= 2; expiry++) {
      const before = db.queries
      clock.t += (SOFT_S + 1) * 1000
      // The database is closed: these all return only if none waits for it.
      db.close()
      const answers = await burst(apps, 25)
      expect(tally(answers.map((r) => r.xCache))).toEqual({ STALE: TOPICS.length * 25 })
      db.open()
      await settled(a.score, b.score)
      // One refresh per key, whichever process won its lock.
      expect(db.queries - before).toBe(TOPICS.length)
      const outcomes = [...a.outcomes, ...b.outcomes]
      expect(outcomes.filter((o) => o === 'refreshed')).toHaveLength(TOPICS.length * expiry)
      expect(outcomes).not.toContain('error')

      // Both serve the refreshed value (a process that lost the lock adopts it from Redis).
      await burst(apps, 2)
      await settled(a.score, b.score)
      const after = await burst(apps, 2)
      expect(tally(after.map((r) => r.xCache))).toEqual({ HIT: TOPICS.length * 2 })
      expect(new Set(after.map((r) => r.computedAt))).toEqual(
        new Set([new Date(clock.t).toISOString()]),
      )
      expect(db.queries - before).toBe(TOPICS.length)
    }
  })

  it('Should answer a miss past the hard TTL, even while Redis still holds the value', async () => {
    const db = countingSql(pgSql(pool))
    const clock = { t: Date.now() }
    const { app } = process_(db.sql, `${RUN}${randomUUID()}:`, clock)
    expect((await ask(app, TOPICS[0]!)).xCache).toBe('MISS')
    clock.t += HARD_S * 1000
    expect((await ask(app, TOPICS[0]!)).xCache).toBe('MISS')
    expect(db.queries).toBe(2)
  })

  it('Should refresh a fresh value early when XFetch picks it, answering HIT', async () => {
    const db = countingSql(pgSql(pool))
    const clock = { t: Date.now() }
    // -ln(0) is infinite: every lookup after the first compute is picked.
    const p = process_(db.sql, `${RUN}${randomUUID()}:`, clock, { random: () => 0 })
    expect((await ask(p.app, TOPICS[1]!)).xCache).toBe('MISS')
    clock.t += 1000
    expect((await ask(p.app, TOPICS[1]!)).xCache).toBe('HIT')
    await p.score.settled()
    expect(p.outcomes).toEqual(['refreshed'])
    expect(db.queries).toBe(2)
    expect((await ask(p.app, TOPICS[1]!)).computedAt).toBe(new Date(clock.t).toISOString())
  })

  it('Should serve stale and count a refresh error when the database is down', async () => {
    const prefix = `${RUN}${randomUUID()}:`
    const clock = { t: Date.now() }
    const up = process_(pgSql(pool), prefix, clock)
    expect((await ask(up.app, TOPICS[2]!)).xCache).toBe('MISS')
    // Another process whose database refuses connections.
    const downPool = createPool({
      url: `postgres://postgres@127.0.0.1:${await freePort()}/test`,
      size: 1,
      name: 'score_stale_down',
    })
    try {
      const down = process_(pgSql(downPool), prefix, clock)
      clock.t += (SOFT_S + 1) * 1000
      expect((await ask(down.app, TOPICS[2]!)).xCache).toBe('STALE')
      await down.score.settled()
      expect(down.outcomes).toEqual(['error'])
      expect((await ask(down.app, TOPICS[2]!)).xCache).toBe('STALE')
      await down.score.settled()
    } finally {
      await downPool.end()
    }
  })
})
