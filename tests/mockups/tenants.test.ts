/**
 * Mock-ups per tenant (issue #22): a key sees its tenant's mock-ups, whichever
 * of the tenant's keys made them; another tenant's id is a 404 and never
 * listed; an admin sees every tenant's. And migration 0009 gives rows made
 * before it the tenant of the key that made them. Real PostgreSQL and BullMQ.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccessPolicy } from '../../core/access/index.ts'
import { createCoreApp } from '../../core/http/app.ts'
import { mockupRoutes } from '../../core/mockups/routes.ts'
import { createPool, loadMigrations, migrate } from '../../core/platform/db/index.ts'
import { createMockupRecords } from '../../core/platform/mockups/index.ts'
import {
  type MockupJob,
  QUEUE_NAMES,
  QueueProducer,
  queueSettings,
} from '../../core/platform/queue/index.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { createFsMockupStorage } from '../../core/platform/storage/index.ts'
import { NO_TENANT } from '../../core/signals/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'
import { memoryLogger } from '../support/logs.ts'
import { asKey, TENANT_ADMIN, tenantKeys } from '../support/tenant-keys.ts'

let schema: TestSchema
let pool: pg.Pool
let dir: string
const connection = createRedis(testRedisUrl(), { role: 'queue', name: 'mockup-tenants' })
const producer = new QueueProducer<MockupJob, unknown>(QUEUE_NAMES.mockups, {
  connection,
  settings: queueSettings({ prefix: `test-mockup-tenants-${randomUUID().slice(0, 8)}` }),
})

beforeAll(async () => {
  schema = await createTestSchema('mockup_tenants')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 2, name: 'mockup-tenants' })
  dir = await mkdtemp(join(tmpdir(), 'mockup-tenants-'))
})

afterAll(async () => {
  await producer.queue.obliterate({ force: true }).catch(() => {})
  await producer.close()
  connection.disconnect()
  await pool?.end()
  await schema?.drop()
  await rm(dir, { recursive: true, force: true })
})

const app = () =>
  createCoreApp({
    logger: memoryLogger(),
    observe: () => {},
    apiKeys: tenantKeys,
    routes: [
      mockupRoutes({
        records: createMockupRecords(pool),
        queue: producer,
        storage: createFsMockupStorage({ root: dir }),
        access: createAccessPolicy({ keys: tenantKeys, adminKeys: [TENANT_ADMIN] }),
      }),
    ],
  })

describe('migration 0009', () => {
  it('Should give older mock-ups their key’s name as tenant, and older signals none', async () => {
    const all = await loadMigrations()
    await migrate(pool, { schema: schema.schema, migrations: all.slice(0, 8) })
    const id = randomUUID()
    await pool.query(
      `INSERT INTO mockups (id, prompt, product, seed, steps, width, height, submitted_by)
       VALUES ($1, 'old', 'mug', 1, 2, 64, 64, 'ci')`,
      [id],
    )
    await pool.query(
      `INSERT INTO signals (dedupe_key, topic, source, metric, value, observed_at)
       VALUES ('id:old-1', 'old', 'etsy', 'sales', 1, now())`,
    )
    // Up to 0009 only: a later migration may change these tables again.
    expect(await migrate(pool, { schema: schema.schema, migrations: all.slice(0, 9) })).toEqual([9])
    const { rows } = await pool.query<{ tenant: string }>(
      'SELECT tenant FROM mockups WHERE id = $1',
      [id],
    )
    expect(rows).toEqual([{ tenant: 'ci' }])
    const signals = await pool.query<{ tenant: string }>('SELECT tenant FROM signals')
    expect(signals.rows).toEqual([{ tenant: NO_TENANT }])
  })
})

describe('mock-ups per tenant', () => {
  // Up to date whether or not the migration test ran first.
  beforeAll(() => migrate(pool, { schema: schema.schema }))

  it('Should share a mock-up among its tenant’s keys and the admin, and hide it from others', async () => {
    const res = await app().request('/mockups', {
      method: 'POST',
      headers: asKey('ci'),
      body: JSON.stringify({
        prompt: 'tenant owl',
        product: 'mug',
        steps: 2,
        width: 64,
        height: 64,
      }),
    })
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: string }
    const { rows } = await pool.query('SELECT tenant, submitted_by FROM mockups WHERE id = $1', [
      id,
    ])
    expect(rows).toEqual([{ tenant: 'acme', submitted_by: 'ci' }])

    const get = async (name: string) =>
      (await app().request(`/mockups/${id}`, { headers: asKey(name) })).status
    expect(await get('console')).toBe(200)
    expect(await get('ops')).toBe(200)
    expect(await get('rival')).toBe(404)

    const listed = async (name: string) => {
      const page = await app().request('/mockups?limit=100', { headers: asKey(name) })
      return ((await page.json()) as { items: { id: string }[] }).items.map((m) => m.id)
    }
    expect(await listed('console')).toContain(id)
    expect(await listed('ops')).toContain(id)
    expect(await listed('rival')).toEqual([])
  })
})
