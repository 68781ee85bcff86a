/**
 * The edge's `/readyz` against a real core app (on a free port, with core's
 * `GET /v1/schema-version`) and real PostgreSQL: ready when both read the same
 * migrated database; 503 naming the failed check when the edge reads another
 * database (an older branch, or one core never migrated), when core has no
 * database, and when core does not answer.
 */
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { createCoreApp } from '../../core/http/app.ts'
import { createPool, loadMigrations, migrate } from '../../core/platform/db/index.ts'
import { type Listening, listen } from '../../core/platform/http/listen.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { schemaVersionRoute } from '../../core/schema/route.ts'
import { memoryCache } from '../../edge/adapters/index.ts'
import { createEdgeApp } from '../../edge/app.ts'
import type { ReadyzReport } from '../../edge/health/index.ts'
import { createScoreService } from '../../edge/score/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'

const logger = createLogger({ service: 'test', level: 'silent' })
const cleanups: (() => Promise<unknown>)[] = []

async function schemaPool(label: string, migrations?: number): Promise<pg.Pool> {
  const schema: TestSchema = await createTestSchema(label)
  cleanups.push(schema.drop)
  const pool = createPool({ url: schema.url, schema: schema.schema, size: 2, name: label })
  cleanups.push(() => pool.end())
  if (migrations !== undefined) {
    const all = await loadMigrations()
    await migrate(pool, { schema: schema.schema, migrations: all.slice(0, migrations), logger })
  }
  return pool
}

async function startCore(db: pg.Pool | undefined): Promise<Listening> {
  const app = createCoreApp({
    logger,
    observe: () => {},
    apiKeys: [],
    routes: [schemaVersionRoute({ db })],
  })
  const server = await listen(app, 0, '127.0.0.1')
  cleanups.push(server.close)
  return server
}

function edgeReadyz(coreUrl: string, db: pg.Pool) {
  const sql = pgSql(db)
  const app = createEdgeApp({
    logger,
    observe: () => {},
    score: createScoreService({ db: sql, cache: memoryCache(), ttlSeconds: 60 }),
    coreUrl,
    db: sql,
  })
  return async () => {
    const res = await app.request('/readyz')
    return {
      status: res.status,
      cache: res.headers.get('Cache-Control'),
      report: (await res.json()) as ReadyzReport,
    }
  }
}

describe("the edge's /readyz", () => {
  let latest: number
  let coreDb: pg.Pool
  let core: Listening
  beforeAll(async () => {
    latest = (await loadMigrations()).length
    coreDb = await schemaPool('readyz_core', latest)
    core = await startCore(coreDb)
  }, 60_000)
  afterAll(async () => {
    for (const step of cleanups.reverse()) await step()
  })

  test('ready when core answers and the edge reads the database core migrated', async () => {
    const { status, cache, report } = await edgeReadyz(`http://127.0.0.1:${core.port}`, coreDb)()
    expect(status).toBe(200)
    expect(cache).toBe('no-store')
    expect(report).toEqual({
      ready: true,
      checks: {
        core: { ok: true, schemaVersion: latest },
        database: { ok: true, schemaVersion: latest },
        schema: { ok: true, schemaVersion: latest },
      },
    })
  })

  test('503 naming the schema when the edge reads a database one migration behind', async () => {
    const branch = await schemaPool('readyz_branch', latest - 1)
    const { status, report } = await edgeReadyz(`http://127.0.0.1:${core.port}`, branch)()
    expect(status).toBe(503)
    expect(report.ready).toBe(false)
    expect(report.checks.core.ok).toBe(true)
    expect(report.checks.database).toEqual({ ok: true, schemaVersion: latest - 1 })
    expect(report.checks.schema.ok).toBe(false)
    expect(report.checks.schema.error).toContain(
      `the edge's database is at migration ${latest - 1}, core's at ${latest}`,
    )
  })

  test('503 naming the database when it was never migrated (not core’s)', async () => {
    const empty = await schemaPool('readyz_empty')
    const { status, report } = await edgeReadyz(`http://127.0.0.1:${core.port}`, empty)()
    expect(status).toBe(503)
    expect(report.checks.database.ok).toBe(false)
    expect(report.checks.database.error).toMatch(/schema_migrations.*NEON_DATABASE_URL/s)
  })

  test('503 naming core when core has no database', async () => {
    const bare = await startCore(undefined)
    const res = await fetch(`http://127.0.0.1:${bare.port}/v1/schema-version`)
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: { code: 'database_unavailable' } })
    const { status, report } = await edgeReadyz(`http://127.0.0.1:${bare.port}`, coreDb)()
    expect(status).toBe(503)
    expect(report.checks.core).toEqual({
      ok: false,
      error: 'core answered 503 to GET /v1/schema-version',
    })
    expect(report.checks.database.ok).toBe(true)
  })

  test('503 naming core when nothing listens at CORE_URL', async () => {
    const gone = await startCore(coreDb)
    await gone.close()
    const { status, report } = await edgeReadyz(`http://127.0.0.1:${gone.port}`, coreDb)()
    expect(status).toBe(503)
    expect(report.checks.core.ok).toBe(false)
    expect(report.checks.core.error).toContain('is unreachable')
  })
})
