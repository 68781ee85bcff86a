/**
 * The experiment routes through `app.request()`: auth, per-item validation,
 * per-variant summaries, and a 503 when PostgreSQL stops answering.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import {
  experimentRoutes,
  type MetricsStore,
  openMetricsStore,
} from '../../core/optimization/index.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testDatabaseUrl } from '../support/env.ts'
import { startTcpProxy } from '../support/tcp-proxy.ts'

const logger = createLogger({ service: 'test', level: 'silent' })
const SECRET = 'experiments-test-secret-0123'
const auth = { Authorization: `Bearer ${SECRET}` }
let dir: string
let store: MetricsStore

function appWith(metricsStore: MetricsStore | undefined) {
  return createCoreApp({
    logger,
    observe: () => {},
    apiKeys: [{ name: 'tester', tenant: 'tester', secret: SECRET }],
    routes: [experimentRoutes({ store: metricsStore })],
  })
}

const post = (app: ReturnType<typeof appWith>, id: string, body: unknown, headers = auth) =>
  app.request(`/experiments/${id}/metrics`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'experiment-routes-'))
  store = await openMetricsStore(`sqlite:${join(dir, 'metrics.db')}`)
})

afterAll(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

describe('POST /experiments/:id/metrics and GET /experiments/:id/summary', () => {
  it('Should summarise each variant of one experiment only', async () => {
    const app = appWith(store)
    const samples = (variant: string, values: number[]) =>
      values.map((value) => ({ name: 'latency_ms', value, tags: { variant } }))
    const res = await post(app, 'checkout-1', {
      metrics: [...samples('a', [10, 20, 30, 40]), ...samples('b', [5])],
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ experiment: 'checkout-1', recorded: 5 })
    await post(app, 'checkout-2', { metrics: samples('a', [999]) })

    const summary = await app.request('/experiments/checkout-1/summary?name=latency_ms', {
      headers: auth,
    })
    expect(summary.status).toBe(200)
    const body = (await summary.json()) as { variants: unknown[] }
    expect(body.variants).toEqual([
      { variant: 'a', count: 4, sum: 100, avg: 25, min: 10, max: 40, p50: 25, p95: 38.5 },
      { variant: 'b', count: 1, sum: 5, avg: 5, min: 5, max: 5, p50: 5, p95: 5 },
    ])
  })

  it('Should honour the from/to window', async () => {
    const app = appWith(store)
    await post(app, 'window', {
      metrics: [
        { name: 'conversion', value: 1, at: '2025-03-01T00:00:00Z', tags: { variant: 'a' } },
        { name: 'conversion', value: 0, at: '2025-03-05T00:00:00Z', tags: { variant: 'a' } },
      ],
    })
    const res = await app.request(
      '/experiments/window/summary?name=conversion&from=2025-03-02T00:00:00Z&to=2025-03-06T00:00:00Z',
      { headers: auth },
    )
    expect(((await res.json()) as { variants: unknown[] }).variants).toMatchObject([
      { variant: 'a', count: 1, sum: 0 },
    ])
  })

  it('Should answer 401 without a key or with a wrong one', async () => {
    const app = appWith(store)
    expect((await post(app, 'x', { metrics: [] }, { Authorization: '' })).status).toBe(401)
    const wrong = await post(app, 'x', { metrics: [] }, { Authorization: 'Bearer nope-nope-nope' })
    expect(wrong.status).toBe(401)
    expect((await app.request('/experiments/x/summary?name=a')).status).toBe(401)
  })

  it('Should list every bad item by index and record none of the batch', async () => {
    const app = appWith(store)
    const res = await post(app, 'bad-batch', {
      metrics: [
        { name: 'ok_metric', value: 1 },
        { name: 'Bad Name', value: 1 },
        { name: 'ok_metric', value: 'high' },
        { name: 'ok_metric', value: 1, tags: { experiment: 'spoof' } },
        { name: 'ok_metric', value: 1, at: '2999-01-01T00:00:00Z' },
        // What the database (or a sum over it) could not take: issue #21.
        { name: 'ok_metric', value: 1e308 },
        { name: 'ok_metric', value: 1, at: '0000-01-01T00:00:00Z' },
        { name: 'ok_metric', value: 1, tags: { variant: 'a\u0000' } },
        'not an object',
      ],
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as {
      error: { code: string; details: { items: { index: number; field: string }[] } }
    }
    expect(body.error.code).toBe('invalid_metrics')
    expect(body.error.details.items.map((i) => [i.index, i.field])).toEqual([
      [1, 'name'],
      [2, 'value'],
      [3, 'tags'],
      [4, 'at'],
      [5, 'value'],
      [6, 'at'],
      [7, 'tags.variant'],
      [8, '(item)'],
    ])
    const summary = await app.request('/experiments/bad-batch/summary?name=ok_metric', {
      headers: auth,
    })
    expect(((await summary.json()) as { variants: unknown[] }).variants).toEqual([])
  })

  it('Should refuse too many items, a bad body, a bad id and a bad query', async () => {
    const app = appWith(store)
    const many = Array.from({ length: 1001 }, () => ({ name: 'm', value: 1 }))
    expect((await post(app, 'e', { metrics: many })).status).toBe(413)
    expect((await post(app, 'e', { metrics: [] })).status).toBe(400)
    expect((await post(app, 'bad%20id', { metrics: [{ name: 'm', value: 1 }] })).status).toBe(400)
    const broken = await app.request('/experiments/e/metrics', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: '{"metrics": [',
    })
    expect(broken.status).toBe(400)
    for (const query of [
      '',
      '?name=m&from=yesterday',
      '?name=m&from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z',
    ]) {
      const res = await app.request(`/experiments/e/summary${query}`, { headers: auth })
      expect(res.status).toBe(400)
    }
  })

  it('Should answer 503 with Retry-After when no store is configured', async () => {
    const res = await post(appWith(undefined), 'e', { metrics: [{ name: 'm', value: 1 }] })
    expect(res.status).toBe(503)
    expect(res.headers.get('Retry-After')).toBe('5')
  })
})

describe('Experiment routes when PostgreSQL is unreachable', () => {
  let schema: TestSchema
  beforeAll(async () => {
    schema = await createTestSchema('experiment_faults')
  })
  afterAll(() => schema.drop())

  it('Should answer 503 while the database is cut off and work again after', async () => {
    const proxy = await startTcpProxy(Number(new URL(testDatabaseUrl()).port || 5432))
    const url = new URL(testDatabaseUrl())
    url.host = `127.0.0.1:${proxy.port}`
    const pgStore = await openMetricsStore(url.toString(), { schema: schema.schema, migrate: true })
    try {
      const app = appWith(pgStore)
      const body = { metrics: [{ name: 'm', value: 1, tags: { variant: 'a' } }] }
      expect((await post(app, 'e', body)).status).toBe(201)
      proxy.cut()
      const down = await post(app, 'e', body)
      expect(down.status).toBe(503)
      expect(down.headers.get('Retry-After')).toBe('5')
      expect(((await down.json()) as { error: { code: string } }).error.code).toBe(
        'metrics_store_unavailable',
      )
      proxy.resume()
      expect((await post(app, 'e', body)).status).toBe(201)
      const summary = await app.request('/experiments/e/summary?name=m', { headers: auth })
      expect(((await summary.json()) as { variants: unknown[] }).variants).toMatchObject([
        { variant: 'a', count: 2 },
      ])
    } finally {
      await pgStore.close()
      await proxy.close()
    }
  })
})
