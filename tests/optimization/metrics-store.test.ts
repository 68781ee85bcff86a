/**
 * The MetricsStore contract, run once per backend (SQLite file, PostgreSQL
 * schema): the same writes must give the same aggregates, percentiles
 * included, as `percentile_cont` defines them.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type MetricsStore,
  MetricsStoreError,
  type OpenMetricsStoreOptions,
  openMetricsStore,
} from '../../core/optimization/index.ts'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import { quantile } from '../../scripts/bench/stats.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'

interface Backend {
  name: 'sqlite' | 'postgres'
  setup: () => Promise<void>
  open: (options?: OpenMetricsStoreOptions) => Promise<MetricsStore>
  teardown: () => Promise<void>
}

let dir: string
let schema: TestSchema
const sqlite: Backend = {
  name: 'sqlite',
  setup: async () => {
    dir = await mkdtemp(join(tmpdir(), 'metrics-store-'))
  },
  open: (options) => openMetricsStore(`sqlite:${join(dir, 'metrics.db')}`, options),
  teardown: () => rm(dir, { recursive: true, force: true }),
}
const postgres: Backend = {
  name: 'postgres',
  setup: async () => {
    schema = await createTestSchema('metrics_store')
    const store = await openMetricsStore(schema.url, { schema: schema.schema, migrate: true })
    await store.close()
  },
  open: (options) => openMetricsStore(schema.url, { schema: schema.schema, ...options }),
  teardown: () => schema.drop(),
}

describe.each([sqlite, postgres])('MetricsStore on $name', (backend) => {
  const open: MetricsStore[] = []
  const openStore = async (options?: OpenMetricsStoreOptions) => {
    const store = await backend.open(options)
    open.push(store)
    return store
  }
  // Each test writes its own metric names, so they share one table.
  let n = 0
  const metricName = () => `m_${backend.name}_${++n}`
  const allTime = [new Date(0), new Date('9999-12-31T00:00:00Z')] as const

  beforeAll(() => backend.setup())
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()))
  })
  afterAll(() => backend.teardown())

  it('Should aggregate per group with the same percentiles as percentile_cont', async () => {
    const store = await openStore()
    const name = metricName()
    const a = Array.from({ length: 101 }, (_, i) => (i * 37) % 101) // 0..100, shuffled
    const b = [5, 1, 9, 3]
    await store.recordMany([
      ...a.map((value) => ({ name, value, tags: { variant: 'a', experiment: 'e1' } })),
      ...b.map((value) => ({ name, value, tags: { variant: 'b', experiment: 'e1' } })),
      { name, value: 1000, tags: { variant: 'a', experiment: 'other' } },
      { name, value: 7, tags: { experiment: 'e1' } },
    ])
    const groups = await store.query(name, ...allTime, {
      where: { experiment: 'e1' },
      groupBy: 'variant',
    })
    expect(groups.map((g) => g.group)).toEqual(['a', 'b', null])
    const [ga, gb, gn] = groups
    expect(ga).toMatchObject({ count: 101, sum: 5050, avg: 50, min: 0, max: 100 })
    expect(ga?.p50).toBeCloseTo(50, 9)
    expect(ga?.p95).toBeCloseTo(95, 9)
    expect(gb).toMatchObject({ count: 4, sum: 18, avg: 4.5, min: 1, max: 9 })
    expect(gb?.p50).toBeCloseTo(quantile(b, 0.5), 9)
    expect(gb?.p95).toBeCloseTo(quantile(b, 0.95), 9)
    expect(gn).toMatchObject({ count: 1, sum: 7, p50: 7, p95: 7 })
  })

  it('Should aggregate everything as one group without groupBy or filter', async () => {
    const store = await openStore()
    const name = metricName()
    await store.record(name, 2, { variant: 'a' })
    await store.record(name, 4)
    expect(await store.query(name, ...allTime)).toEqual([
      { group: null, count: 2, sum: 6, avg: 3, min: 2, max: 4, p50: 3, p95: 3.9 },
    ])
  })

  it('Should keep only samples with from <= at < to', async () => {
    const store = await openStore()
    const name = metricName()
    const at = (iso: string) => new Date(iso)
    await store.recordMany([
      { name, value: 1, tags: {}, at: at('2025-01-01T00:00:00Z') },
      { name, value: 2, tags: {}, at: at('2025-01-02T00:00:00Z') },
      { name, value: 3, tags: {}, at: at('2025-01-03T00:00:00Z') },
    ])
    const [only] = await store.query(name, at('2025-01-02T00:00:00Z'), at('2025-01-03T00:00:00Z'))
    expect(only).toMatchObject({ count: 1, sum: 2 })
    expect(await store.query(name, at('2030-01-01T00:00:00Z'), at('2031-01-01T00:00:00Z'))).toEqual(
      [],
    )
  })

  it('Should write the same rows through a connection per call (the benchmark mode)', async () => {
    const unpooled = await openStore({ pooled: false })
    const name = metricName()
    await unpooled.record(name, 1, { variant: 'x' })
    await unpooled.recordMany([{ name, value: 3, tags: { variant: 'x' } }])
    const pooled = await openStore()
    expect(await pooled.query(name, ...allTime, { groupBy: 'variant' })).toMatchObject([
      { group: 'x', count: 2, sum: 4 },
    ])
  })

  it('Should write a large batch in one call', async () => {
    const store = await openStore()
    const name = metricName()
    const rows = Array.from({ length: 12_345 }, (_, i) => ({ name, value: i, tags: {} }))
    await store.recordMany(rows)
    expect(await store.query(name, ...allTime)).toMatchObject([{ count: 12_345, max: 12_344 }])
  })

  it('Should refuse tag keys that are not identifiers, before any SQL', async () => {
    const store = await openStore()
    await expect(store.record(metricName(), 1, { 'bad key': 'x' })).rejects.toThrow(/tag key/)
    await expect(
      store.query(metricName(), ...allTime, { groupBy: "x') OR 1=1 --" }),
    ).rejects.toThrow(/tag key/)
  })

  it('Should reject calls after close with a MetricsStoreError', async () => {
    const store = await backend.open()
    await store.close()
    await store.close() // closing twice is harmless
    await expect(store.record(metricName(), 1)).rejects.toBeInstanceOf(MetricsStoreError)
  })
})

describe('PostgreSQL metrics store pool', () => {
  let pgSchema: TestSchema
  beforeAll(async () => {
    pgSchema = await createTestSchema('metrics_pool')
  })
  afterAll(() => pgSchema.drop())

  it('Should keep a pool open and export its db_pool_* gauges', async () => {
    const registry = new Registry()
    const store = await openMetricsStore(pgSchema.url, {
      schema: pgSchema.schema,
      migrate: true,
      registry,
    })
    try {
      await store.record('pool_check', 1)
      const families = parsePrometheusText(await registry.metrics())
      expect(sampleValue(families, 'db_pool_size', { pool: 'metrics_store' })).toBe(10)
      expect(sampleValue(families, 'db_pool_in_use', { pool: 'metrics_store' })).toBe(0)
    } finally {
      await store.close()
    }
  })
})
