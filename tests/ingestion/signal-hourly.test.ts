/**
 * `signal_hourly` (migration 0010) follows every insert into `signals` in the
 * same transaction: only rows really inserted count, concurrent statements
 * into one hour lose nothing, and the signals stored before it are backfilled.
 */
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPool, loadMigrations, migrate } from '../../core/platform/db/index.ts'
import { insertSignals, type SignalRow } from '../../core/signals/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'

const HOUR = 3_600_000
const T0 = Date.parse('2026-06-01T10:00:00Z')

let schema: TestSchema
let pool: pg.Pool

beforeAll(async () => {
  schema = await createTestSchema('signal_hourly')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 8, name: 'signal_hourly' })
  await migrate(pool, { schema: schema.schema })
})

afterAll(async () => {
  await pool.end()
  await schema.drop()
})

function signal(id: string, topic: string, at: number, value = 1): SignalRow {
  return {
    id,
    topic,
    product: null,
    source: 'etsy',
    metric: 'sales',
    value,
    observedAt: new Date(at),
  }
}

const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)

/** The rollup of `topic` as stored, and as recomputed from its signals. */
async function rollupAndTruth(db: pg.Pool, topic: string) {
  const stored = await db.query(
    `SELECT hour, product, source, signals::int, value_sum, last_observed_at
     FROM signal_hourly WHERE topic = $1 ORDER BY hour, product, source`,
    [topic],
  )
  const truth = await db.query(
    `SELECT date_trunc('hour', observed_at, 'UTC') AS hour, product, source, count(*)::int AS signals,
       sum(value) AS value_sum, max(observed_at) AS last_observed_at
     FROM signals WHERE topic = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [topic],
  )
  return { stored: stored.rows, truth: truth.rows }
}

describe('signal_hourly', () => {
  it('Should count only the rows really inserted, per hour, product and source', async () => {
    const batch = [
      signal('a', 'dupes', T0 + 1000, 2),
      signal('a', 'dupes', T0 + 2000, 50), // same id in the same statement: skipped
      signal('b', 'dupes', T0 + HOUR - 1, 3),
      { ...signal('c', 'dupes', T0 + HOUR, 4), product: 'mug' },
    ]
    expect(await insertSignals(pool, batch)).toBe(3)
    expect(await insertSignals(pool, batch)).toBe(0) // a retried job
    expect(await insertSignals(pool, batch, 'acme')).toBe(3) // ids dedupe per tenant
    const { rows } = await pool.query(
      `SELECT hour, product, signals::int, value_sum, last_observed_at
       FROM signal_hourly WHERE topic = 'dupes' ORDER BY hour`,
    )
    expect(rows).toEqual([
      {
        hour: new Date(T0),
        product: null,
        signals: 4,
        value_sum: 10,
        last_observed_at: new Date(T0 + HOUR - 1),
      },
      {
        hour: new Date(T0 + HOUR),
        product: 'mug',
        signals: 2,
        value_sum: 8,
        last_observed_at: new Date(T0 + HOUR),
      },
    ])
  })

  it('Should lose no count when statements insert into one hour at once', async () => {
    // 16 statements on 8 connections, each 50 signals of one key; neighbours
    // share 25 ids, so half of most batches are duplicates of a concurrent one.
    const batches = ids(0, 16).map((b) =>
      ids(b * 25, 50).map((i) => signal(`one-${i}`, 'one hour', T0 + i * 1000, i)),
    )
    const inserted = await Promise.all(batches.map((rows) => insertSignals(pool, rows)))
    const distinct = 15 * 25 + 50
    expect(inserted.reduce((a, b) => a + b, 0)).toBe(distinct)
    const { stored, truth } = await rollupAndTruth(pool, 'one hour')
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({
      signals: distinct,
      value_sum: (distinct * (distinct - 1)) / 2,
    })
    expect(stored).toEqual(truth)
  })

  it('Should not deadlock when concurrent statements touch many hours in opposite orders', async () => {
    const batches = ids(0, 12).map((b) => {
      const rows = ids(0, 48).map((h) => signal(`many-${b}-${h}`, 'many hours', T0 + h * HOUR, h))
      return b % 2 === 0 ? rows : rows.reverse()
    })
    await Promise.all(batches.map((rows) => insertSignals(pool, rows)))
    const { stored, truth } = await rollupAndTruth(pool, 'many hours')
    expect(stored).toHaveLength(48)
    expect(stored.every((r) => r.signals === 12)).toBe(true)
    expect(stored).toEqual(truth)
  })

  it('Should keep signals append-only and follow TRUNCATE', async () => {
    await expect(pool.query("DELETE FROM signals WHERE topic = 'dupes'")).rejects.toThrow(
      /signals are append-only/,
    )
    await expect(pool.query('UPDATE signals SET value = 0')).rejects.toThrow(
      /signals are append-only/,
    )
    const other = await createTestSchema('signal_hourly_truncate')
    const db = createPool({ url: other.url, schema: other.schema, size: 1, name: 'truncate' })
    try {
      await migrate(db, { schema: other.schema })
      await insertSignals(db, [signal('t', 'gone', T0)])
      await db.query('TRUNCATE signals')
      expect((await db.query('SELECT count(*)::int AS n FROM signal_hourly')).rows).toEqual([
        { n: 0 },
      ])
    } finally {
      await db.end()
      await other.drop()
    }
  })

  it('Should backfill the signals stored before the migration', async () => {
    const old = await createTestSchema('signal_hourly_backfill')
    const db = createPool({ url: old.url, schema: old.schema, size: 1, name: 'backfill' })
    try {
      const all = await loadMigrations()
      await migrate(db, { schema: old.schema, migrations: all.filter((m) => m.version < 10) })
      await insertSignals(
        db,
        ids(0, 30).map((i) => signal(`old-${i}`, 'older', T0 + i * 20 * 60_000, i)),
      )
      await migrate(db, { schema: old.schema })
      const { stored, truth } = await rollupAndTruth(db, 'older')
      expect(stored).toHaveLength(10)
      expect(stored).toEqual(truth)
    } finally {
      await db.end()
      await old.drop()
    }
  })
})
