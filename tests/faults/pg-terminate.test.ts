/**
 * PostgreSQL connections terminated under load (only this test's, found by
 * their application_name): requests that lose their connection get a 503
 * with Retry-After (never a 500), and the pool recovers without a restart.
 */
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyticsRoutes } from '../../core/analytics/routes.ts'
import { createAnalyticsStore } from '../../core/analytics/store.ts'
import { createCoreApp } from '../../core/http/app.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { seedAnalytics } from '../../scripts/dev/demo-data/index.ts'
import { createTestSchema, type TestSchema, withClient } from '../support/db.ts'
import { memoryLogger } from '../support/logs.ts'

const APP_NAME = `fault-terminate-${randomUUID().slice(0, 8)}`
let schema: TestSchema
let pool: pg.Pool
let ids: number[]
const logger = memoryLogger()

beforeAll(async () => {
  schema = await createTestSchema('pg_terminate')
  pool = createPool({
    url: schema.url,
    schema: schema.schema,
    size: 4,
    name: 'terminate',
    applicationName: APP_NAME,
  })
  await migrate(pool, { schema: schema.schema })
  ids = await seedAnalytics(pool, { designs: 5, events: 2000, seed: 2 })
})

afterAll(async () => {
  await pool.end()
  await schema.drop()
})

const terminate = () =>
  withClient(schema.url, (client) =>
    client.query(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [APP_NAME],
    ),
  )

describe('connections terminated under load', () => {
  it('Should answer 503 or 200 while connections die, and 200 afterwards', async () => {
    const app = createCoreApp({
      logger,
      observe: () => {},
      apiKeys: [],
      routes: [analyticsRoutes(createAnalyticsStore(pool))],
    })
    const path = `/analytics/designs/${ids[0]}/summary`
    const statuses: number[] = []
    let killed = 0
    for (let round = 0; round < 5; round++) {
      const load = Array.from({ length: 20 }, async () => {
        const res = await app.request(path)
        statuses.push(res.status)
        if (res.status === 503) {
          expect(res.headers.get('Retry-After')).toBe('5')
          expect(await res.json()).toMatchObject({ error: { code: 'database_unavailable' } })
        }
      })
      killed += (await terminate()).rows[0].n
      await Promise.all(load)
    }
    expect(killed).toBeGreaterThan(0)
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([])
    // Recovered: fresh connections replace the terminated ones, no restart.
    const after = await Promise.all(Array.from({ length: 10 }, () => app.request(path)))
    expect(after.map((r) => r.status)).toEqual(Array(10).fill(200))
    expect(logger.lines.some((l) => l.msg === 'unhandled error')).toBe(false)
  })
})
