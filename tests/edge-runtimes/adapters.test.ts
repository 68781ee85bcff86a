/**
 * The portable clients of edge/adapters/ against the real servers through the
 * local bridges: `upstashCache` (Upstash REST -> Redis) and `neonSql`
 * (`neon()` -> SQL over HTTP -> PostgreSQL), including how fast they fail.
 */
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { neonSql, upstashCache } from '../../edge/adapters/index.ts'
import {
  type NeonBridge,
  startNeonBridge,
  startUpstashBridge,
  type UpstashBridge,
} from '../../scripts/dev/bridges/index.ts'
import { freePort } from '../../scripts/dev/embedded/index.ts'
import { bridgedEdgeEnv } from '../../scripts/edge/env.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts'

const token = randomUUID()
let schema: TestSchema
let pool: pg.Pool
let redis: TestRedis
let upstash: UpstashBridge
let neon: NeonBridge
let proxy: TcpProxy

const cacheAt = (url: string, timeoutMs?: number) =>
  upstashCache({ url, token, keyPrefix: redis.prefix, timeoutMs })

beforeAll(async () => {
  schema = await createTestSchema('edge_adapters')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 2, name: 'edge_adapters' })
  await migrate(pool, { schema: schema.schema })
  redis = createTestRedis('edge_adapters')
  upstash = await startUpstashBridge({ redisUrl: testRedisUrl(), token })
  neon = await startNeonBridge({ allow: [schema.url] })
  proxy = await startTcpProxy(Number(new URL(upstash.url).port))
})

afterAll(async () => {
  await proxy?.close()
  await upstash?.close()
  await neon?.close()
  await redis?.cleanup()
  await pool?.end()
  await schema?.drop()
})

describe('upstashCache', () => {
  it('Should store strings under its key prefix, verbatim, with the expiry', async () => {
    const cache = cacheAt(upstash.url)
    const json = JSON.stringify({ score: 1.5, topic: 'ünïcode "quoted"' })
    expect(await cache.get('k1')).toBeNull()
    await cache.set('k1', json, 30)
    expect(await cache.get('k1')).toBe(json) // not parsed back into an object
    // Seen from ioredis under the same prefix: the adapter really prefixed the key.
    expect(await redis.redis.get('k1')).toBe(json)
    expect(await redis.redis.ttl('k1')).toBeGreaterThan(25)
  })

  it('Should fail at once when nothing listens (no retries)', async () => {
    const cache = cacheAt(`http://127.0.0.1:${await freePort()}`)
    const started = performance.now()
    await expect(cache.get('k')).rejects.toThrow()
    expect(performance.now() - started).toBeLessThan(250)
  })

  it('Should give up after timeoutMs when the server stops answering', async () => {
    const cache = cacheAt(proxy.url('http'), 300)
    await cache.set('k2', 'v', 30)
    proxy.stall()
    try {
      const started = performance.now()
      await expect(cache.get('k2')).rejects.toThrow()
      expect(performance.now() - started).toBeGreaterThanOrEqual(280)
      expect(performance.now() - started).toBeLessThan(2000)
    } finally {
      proxy.resume()
    }
  })

  it('Should reject a wrong token', async () => {
    const cache = upstashCache({ url: upstash.url, token: 'wrong' })
    await expect(cache.get('k')).rejects.toThrow()
  })
})

describe('neonSql', () => {
  const sqlFor = (withSchema: boolean) => {
    const env = bridgedEdgeEnv({
      upstash,
      token,
      neon,
      databaseUrl: schema.url,
      schema: withSchema ? schema.schema : undefined,
    })
    return neonSql({
      connectionString: env.NEON_DATABASE_URL!,
      fetchEndpoint: env.NEON_FETCH_ENDPOINT,
    })
  }

  it('Should run a parameterised statement and return rows as typed objects', async () => {
    const rows = await sqlFor(false).query<{ n: number; t: string; at: Date; nothing: null }>(
      'SELECT $1::int + 1 AS n, $2::text AS t, $3::timestamptz AS at, NULL AS nothing',
      [41, 'owls', '2026-01-02T03:04:05.000Z'],
    )
    expect(rows).toEqual([
      { n: 42, t: 'owls', at: new Date('2026-01-02T03:04:05.000Z'), nothing: null },
    ])
  })

  it('Should carry search_path in the connection string options', async () => {
    const [row] = await sqlFor(true).query<{ path: string }>(
      "SELECT current_setting('search_path') AS path",
      [],
    )
    expect(row?.path).toBe(schema.schema)
    // The migrated table resolves without a schema qualifier.
    expect(await sqlFor(true).query('SELECT count(*)::int AS n FROM signals', [])).toEqual([
      { n: 0 },
    ])
  })

  it('Should reject with the PostgreSQL error', async () => {
    await expect(sqlFor(false).query('SELECT * FROM no_such_table', [])).rejects.toThrow(
      /no_such_table/,
    )
  })
})
