import { Registry } from 'prom-client'
import { afterAll, describe, expect, it } from 'vitest'
import { createPool } from '../../core/platform/db/index.ts'
import { parsePrometheusText } from '../../core/platform/metrics/exposition.ts'
import { testDatabaseUrl } from '../support/env.ts'

async function gauges(registry: Registry, pool: string): Promise<Record<string, number>> {
  const values: Record<string, number> = {}
  for (const family of parsePrometheusText(await registry.metrics()).values()) {
    const sample = family.samples.find((s) => s.labels.pool === pool)
    if (sample) values[family.name] = sample.value
  }
  return values
}

const registry = new Registry()
const pool = createPool({
  url: testDatabaseUrl(),
  size: 3,
  name: 'gauge_test',
  registry,
  connectionTimeoutMs: 10_000,
})

afterAll(() => pool.end())

describe('pool gauges', () => {
  it('Should move when connections are checked out, waited for and released', async () => {
    expect(await gauges(registry, 'gauge_test')).toEqual({
      db_pool_size: 3,
      db_pool_in_use: 0,
      db_pool_waiting: 0,
    })
    const clients = await Promise.all([pool.connect(), pool.connect()])
    expect(await gauges(registry, 'gauge_test')).toMatchObject({
      db_pool_in_use: 2,
      db_pool_waiting: 0,
    })
    const third = await pool.connect()
    const fourth = pool.connect() // the pool is full: this one waits
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await gauges(registry, 'gauge_test')).toMatchObject({
      db_pool_in_use: 3,
      db_pool_waiting: 1,
    })
    third.release()
    const got = await fourth
    expect(await gauges(registry, 'gauge_test')).toMatchObject({
      db_pool_in_use: 3,
      db_pool_waiting: 0,
    })
    for (const client of [...clients, got]) client.release()
    expect(await gauges(registry, 'gauge_test')).toMatchObject({
      db_pool_in_use: 0,
      db_pool_waiting: 0,
    })
  })

  it('Should refuse two live pools with one name on a registry', () => {
    expect(() => createPool({ url: testDatabaseUrl(), name: 'gauge_test', registry })).toThrow(
      /already tracked/,
    )
  })

  it('Should stop exporting a pool once it has ended', async () => {
    const other = new Registry()
    const shortLived = createPool({
      url: testDatabaseUrl(),
      size: 1,
      name: 'ephemeral',
      registry: other,
    })
    await shortLived.query('SELECT 1')
    expect(await gauges(other, 'ephemeral')).toMatchObject({ db_pool_size: 1 })
    await shortLived.end()
    expect(await gauges(other, 'ephemeral')).toEqual({})
  })
})
