/**
 * The score query reads whole hours from `signal_hourly` and only the partial
 * hours from `signals`: on any data and at any instant it must answer exactly
 * what the former raw-rows query answers (kept here as the reference).
 */
import fc from 'fast-check'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { insertSignals, type SignalRow } from '../../core/signals/index.ts'
import { SCORE_SQL } from '../../edge/score/sql.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'

/** The score query before the rollup: every signal of the 7-day window. */
const RAW_ROWS_SQL = `
SELECT
  count(*) FILTER (WHERE observed_at > $3::timestamptz - interval '24 hours')::int AS recent_count,
  coalesce(sum(value) FILTER (WHERE observed_at > $3::timestamptz - interval '24 hours'), 0)::float8 AS recent_sum,
  count(*) FILTER (WHERE observed_at <= $3::timestamptz - interval '24 hours')::int AS baseline_count,
  coalesce(sum(value) FILTER (WHERE observed_at <= $3::timestamptz - interval '24 hours'), 0)::float8 AS baseline_sum,
  count(DISTINCT source)::int AS sources,
  max(observed_at) AS last_observed_at
FROM signals
WHERE topic = $1
  AND observed_at > $3::timestamptz - interval '7 days'
  AND observed_at <= $3::timestamptz
  AND ($2::text IS NULL OR product = $2::text OR product IS NULL)`

const HOUR = 3_600_000
const DAY = 24 * HOUR
// New York changes to summer time on 2026-03-08: '7 days' is then 167 hours
// in that session, and the hour arithmetic must still agree.
const BASE = Date.parse('2026-03-05T00:00:00Z')

let schema: TestSchema
let pool: pg.Pool

beforeAll(async () => {
  schema = await createTestSchema('score_rollup')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 2, name: 'score_rollup' })
  await migrate(pool, { schema: schema.schema })
})

afterAll(async () => {
  await pool.end()
  await schema.drop()
})

/** Where a signal lies relative to `now`, resolved once `now` is drawn. */
const when = fc.oneof(
  // Anywhere from an hour in the future to 8 days back.
  fc.integer({ min: -HOUR, max: 8 * DAY }).map((ago) => (now: number) => now - ago),
  // On or next to the window's edges: now, 24 hours and 7 days back.
  fc.tuple(fc.constantFrom(0, DAY, 7 * DAY), fc.integer({ min: -2, max: 2 })).map(
    ([ago, delta]) =>
      (now: number) =>
        now - ago + delta,
  ),
  // On or next to a whole UTC hour, often the hours that split the window.
  fc
    .tuple(
      fc.oneof(
        fc.integer({ min: -1, max: 8 * 24 }),
        fc.constantFrom(-1, 0, 1, 23, 24, 25, 166, 167, 168, 169),
      ),
      fc.constantFrom(-1000, -1, 0, 1),
    )
    .map(
      ([hours, delta]) =>
        (now: number) =>
          now - (now % HOUR) - hours * HOUR + delta,
    ),
)

const signal = fc.record({
  // A small id space: many rows repeat an id and are duplicates within a tenant.
  id: fc.integer({ min: 0, max: 40 }).map(String),
  tenant: fc.constantFrom('', 'acme'),
  topic: fc.constantFrom('cats', 'dogs'),
  product: fc.constantFrom(null, 'mug', 'shirt'),
  source: fc.constantFrom('etsy', 'reddit', 'pinterest', 'google'),
  // Quarters: every sum is exact in any order, so "identical" can be exact
  // (float addition is not associative, and neither query fixes an order).
  value: fc.integer({ min: -400, max: 400_000 }).map((n) => n / 4),
  at: when,
})

const scenario = fc.record({
  now: fc.oneof(
    fc.integer({ min: 0, max: 12 * DAY }),
    fc.integer({ min: 0, max: 12 * 24 }).map((h) => h * HOUR),
  ),
  signals: fc.array(signal, { maxLength: 120, size: 'medium' }),
  // Inserted in several statements, so duplicates also meet across statements.
  statements: fc.integer({ min: 1, max: 4 }),
  topic: fc.constantFrom('cats', 'dogs', 'owls'),
  product: fc.constantFrom(null, 'mug', 'poster'),
  timeZone: fc.constantFrom('UTC', 'Asia/Kolkata', 'America/New_York'),
})

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

async function load(s: Scenario, now: number): Promise<void> {
  await pool.query('TRUNCATE signals')
  const rows = s.signals.map((x) => ({
    tenant: x.tenant,
    row: {
      id: x.id,
      topic: x.topic,
      product: x.product,
      source: x.source,
      metric: 'sales',
      value: x.value,
      observedAt: new Date(x.at(now)),
    } satisfies SignalRow,
  }))
  const per = Math.ceil(rows.length / s.statements)
  for (let i = 0; i < rows.length; i += per) {
    for (const tenant of ['', 'acme']) {
      const batch = rows.slice(i, i + per).filter((r) => r.tenant === tenant)
      await insertSignals(
        pool,
        batch.map((r) => r.row),
        tenant,
      )
    }
  }
}

async function both(s: Scenario, now: number) {
  const client = await pool.connect()
  try {
    await client.query(`SET TIME ZONE '${s.timeZone}'`)
    const params = [s.topic, s.product, new Date(now).toISOString()]
    const rollup = await client.query(SCORE_SQL, params)
    const raw = await client.query(RAW_ROWS_SQL, params)
    return { rollup: rollup.rows, raw: raw.rows }
  } finally {
    await client.query('RESET TIME ZONE')
    client.release()
  }
}

describe('score query over hourly rollups', () => {
  it('Should answer exactly what the raw-rows query answers', async () => {
    let nonEmpty = 0
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const now = BASE + s.now
        await load(s, now)
        const { rollup, raw } = await both(s, now)
        expect(rollup).toEqual(raw)
        if (raw[0].recent_count + raw[0].baseline_count > 0) nonEmpty++
      }),
      { numRuns: 150 },
    )
    // The property compared real scores, not mostly empty windows.
    expect(nonEmpty).toBeGreaterThan(50)
  })

  it('Should read whole hours from signal_hourly', async () => {
    const now = Date.parse('2026-06-01T12:30:00Z')
    await pool.query('TRUNCATE signals')
    const row = {
      topic: 'moths',
      product: null,
      source: 'etsy',
      metric: 'sales',
      value: 2,
    }
    await insertSignals(pool, [
      { ...row, observedAt: new Date(now - 3 * DAY) },
      { ...row, observedAt: new Date(now - 10 * 60_000) },
    ])
    // Only the rollup says 5: a score of 5 baseline signals comes from it,
    // while the current hour's signal is still read raw.
    await pool.query(
      "UPDATE signal_hourly SET signals = 5, value_sum = 10 WHERE hour < '2026-06-01T12:00:00Z'",
    )
    const { rows } = await pool.query(SCORE_SQL, ['moths', null, new Date(now).toISOString()])
    expect(rows[0]).toMatchObject({
      recent_count: 1,
      recent_sum: 2,
      baseline_count: 5,
      baseline_sum: 10,
      sources: 1,
    })
  })
})
