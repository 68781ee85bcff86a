/**
 * The analytics API against the real PostgreSQL: every figure equals a
 * reference computed here from the raw rows, pagination covers the ranking
 * exactly once, the queries use their indexes, and bad input is a 400.
 */
import type { Hono } from 'hono'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DESIGN_DAILY_SERIES,
  DESIGN_HOURLY_SERIES,
  DESIGN_SUMMARY,
  topDesignsSql,
} from '../../core/analytics/queries.ts'
import { analyticsRoutes } from '../../core/analytics/routes.ts'
import { createAnalyticsStore } from '../../core/analytics/store.ts'
import { createCoreApp } from '../../core/http/app.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { seedAnalytics } from '../../scripts/dev/demo-data/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { memoryLogger } from '../support/logs.ts'

const NOW = new Date('2026-06-01T00:00:00Z')
const FROM = new Date('2026-05-02T00:00:00Z')
let schema: TestSchema
let pool: pg.Pool
let app: Hono
let ids: number[]
type Event = {
  design_id: number
  product: string
  kind: string
  revenue: number
  occurred_at: Date
}
let events: Event[]

/** The reference per bucket, in bucket order; empty buckets absent. */
function bucketed(rows: Event[], bucketOf: (e: Event) => string) {
  const byBucket = new Map<string, Event[]>()
  for (const e of rows) byBucket.set(bucketOf(e), [...(byBucket.get(bucketOf(e)) ?? []), e])
  return [...byBucket.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([bucket, bucketRows]) => ({ bucket, ...reference(bucketRows) }))
}

/** The reference: figures summed in JavaScript from raw rows. */
function reference(rows: Event[]) {
  const count = (kind: string) => rows.filter((e) => e.kind === kind).length
  const impressions = count('impression')
  const clicks = count('click')
  const purchases = count('purchase')
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6
  return {
    impressions,
    clicks,
    addToCart: count('add_to_cart'),
    purchases,
    revenue: Math.round(rows.reduce((s, e) => s + e.revenue * 100, 0)) / 100,
    ctr: impressions ? round6(clicks / impressions) : 0,
    conversion: clicks ? round6(purchases / clicks) : 0,
  }
}

async function getJson(path: string) {
  const res = await app.request(path)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  schema = await createTestSchema('analytics')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 4, name: 'analytics_test' })
  await migrate(pool, { schema: schema.schema })
  ids = await seedAnalytics(pool, {
    designs: 25,
    events: 8000,
    seed: 5,
    now: NOW,
    days: 30,
    batchSize: 3000,
  })
  const { rows } = await pool.query(
    'SELECT design_id, product, kind, revenue, occurred_at FROM events',
  )
  events = rows.map((r) => ({ ...r, design_id: Number(r.design_id), revenue: Number(r.revenue) }))
  app = createCoreApp({
    logger: memoryLogger(),
    observe: () => {},
    apiKeys: [],
    routes: [analyticsRoutes(createAnalyticsStore(pool))],
  })
})

afterAll(async () => {
  await pool.end()
  await schema.drop()
})

const range = `from=${FROM.toISOString()}&to=${NOW.toISOString()}`
// Periods that start and end inside a day: whole days come from event_daily, the edges from events.
const MID_FROM = new Date('2026-05-10T13:17:05.123Z')
const MID_TO = new Date('2026-05-20T05:43:00Z')
const PERIODS: [string, Date, Date][] = [
  ['mid-day to mid-day', MID_FROM, MID_TO],
  ['within one day', new Date('2026-05-25T03:00:00Z'), new Date('2026-05-25T21:30:00Z')],
  ['one whole day', new Date('2026-05-25T00:00:00Z'), new Date('2026-05-26T00:00:00Z')],
  ['midnight to mid-day', new Date('2026-05-12T00:00:00Z'), new Date('2026-05-14T00:00:00.001Z')],
]
const between = (from: Date, to: Date) => (e: Event) => e.occurred_at >= from && e.occurred_at < to
const dayOf = (e: Event) => `${e.occurred_at.toISOString().slice(0, 10)}T00:00:00.000Z`
const inRange = (e: Event) => e.occurred_at >= FROM && e.occurred_at < NOW

describe('analytics API', () => {
  it('Should summarise a design as the reference does, overall and per product', async () => {
    const id = ids[0]!
    const all = await getJson(`/analytics/designs/${id}/summary?${range}`)
    expect(all.status).toBe(200)
    expect(all.body).toEqual({
      designId: id,
      product: null,
      from: FROM.toISOString(),
      to: NOW.toISOString(),
      ...reference(events.filter((e) => e.design_id === id && inRange(e))),
    })
    expect(all.body.impressions).toBeGreaterThan(100)
    const mugs = await getJson(`/analytics/designs/${id}/summary?${range}&product=mug`)
    expect(mugs.body).toMatchObject(
      reference(events.filter((e) => e.design_id === id && inRange(e) && e.product === 'mug')),
    )
  })

  it('Should rank designs and page through the ranking exactly once', async () => {
    for (const metric of ['revenue', 'ctr', 'clicks'] as const) {
      const expected = ids
        .map((id) => {
          const figures = reference(events.filter((e) => e.design_id === id && inRange(e)))
          return { designId: id, value: metric === 'clicks' ? figures.clicks : figures[metric] }
        })
        .sort((a, b) => b.value - a.value || a.designId - b.designId)
      const seen: { designId: number; value: number }[] = []
      let cursor: string | null = null
      do {
        const page = await getJson(
          `/analytics/top?metric=${metric}&limit=7&${range}${cursor ? `&cursor=${cursor}` : ''}`,
        )
        expect(page.status).toBe(200)
        const items = page.body.items as { designId: number; value: number }[]
        expect(items.length).toBeLessThanOrEqual(7)
        seen.push(...items.map(({ designId, value }) => ({ designId, value })))
        cursor = page.body.nextCursor as string | null
      } while (cursor)
      expect(seen).toEqual(expected)
    }
  })

  it('Should bucket a design by day as the reference does', async () => {
    const id = ids[1]!
    const { status, body } = await getJson(
      `/analytics/designs/${id}/timeseries?bucket=day&${range}`,
    )
    expect(status).toBe(200)
    expect(body.points).toEqual(
      bucketed(
        events.filter((e) => e.design_id === id && inRange(e)),
        dayOf,
      ),
    )
  })

  it('Should answer hourly buckets within a short period', async () => {
    const { status, body } = await getJson(
      `/analytics/designs/${ids[0]}/timeseries?bucket=hour&from=2026-05-30T00:00:00Z&to=2026-05-31T00:00:00Z`,
    )
    expect(status).toBe(200)
    const points = body.points as { bucket: string }[]
    expect(points.length).toBeGreaterThan(0)
    expect(points.length).toBeLessThanOrEqual(24)
    expect(points.every((p) => p.bucket.endsWith(':00:00.000Z'))).toBe(true)
    const hourOf = (e: Event) => `${e.occurred_at.toISOString().slice(0, 13)}:00:00.000Z`
    const day = between(new Date('2026-05-30T00:00:00Z'), new Date('2026-05-31T00:00:00Z'))
    expect(points).toEqual(
      bucketed(
        events.filter((e) => e.design_id === ids[0] && day(e)),
        hourOf,
      ),
    )
  })

  it.each(PERIODS)('Should sum a period %s as the reference does', async (_, from, to) => {
    const period = `from=${from.toISOString()}&to=${to.toISOString()}`
    const inPeriod = between(from, to)
    const id = ids[0]!
    const ofDesign = events.filter((e) => e.design_id === id && inPeriod(e))
    expect(ofDesign.length).toBeGreaterThan(0)
    const summary = await getJson(`/analytics/designs/${id}/summary?${period}&product=mug`)
    expect(summary.body).toMatchObject(reference(ofDesign.filter((e) => e.product === 'mug')))
    const series = await getJson(`/analytics/designs/${id}/timeseries?bucket=day&${period}`)
    expect(series.body.points).toEqual(bucketed(ofDesign, dayOf))
    const top = await getJson(`/analytics/top?metric=clicks&limit=100&${period}`)
    // Every design with an event in the period, by clicks then id.
    const expected = ids
      .map((designId) => ({
        designId,
        rows: events.filter((e) => e.design_id === designId && inPeriod(e)),
      }))
      .filter(({ rows }) => rows.length > 0)
      .map(({ designId, rows }) => [designId, reference(rows).clicks])
      .sort(([a, x], [b, y]) => y! - x! || a! - b!)
    const items = top.body.items as { designId: number; clicks: number }[]
    expect(items.map((i) => [i.designId, i.clicks])).toEqual(expected)
  })

  it.each([
    ['/analytics/designs/abc/summary', 'id', /id must be a positive whole number/],
    ['/analytics/designs/0/summary', 'id', /id must be a positive whole number/],
    [
      '/analytics/designs/1/summary?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z',
      'from',
      /from must be before to/,
    ],
    [
      '/analytics/designs/1/summary?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      'to',
      /at most 366 days/,
    ],
    ['/analytics/designs/1/summary?from=yesterday', 'from', /ISO 8601/],
    ['/analytics/designs/1/summary?product=sofa', 'product', /product must be one of/],
    [
      '/analytics/designs/1/timeseries?bucket=hour&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
      'to',
      /at most 31 days/,
    ],
    ['/analytics/designs/1/timeseries?bucket=week', 'bucket', /bucket must be hour or day/],
    ['/analytics/top?metric=likes', 'metric', /metric must be one of/],
    ['/analytics/top?limit=0', 'limit', /limit must be a whole number from 1 to 100/],
    ['/analytics/top?limit=1000', 'limit', /limit must be a whole number from 1 to 100/],
    ['/analytics/top?cursor=not-a-cursor', 'cursor', /cursor is not a cursor this API returned/],
  ])('Should refuse %s with 400 naming %s', async (path, field, message) => {
    const { status, body } = await getJson(path)
    expect(status).toBe(400)
    const error = body.error as { code: string; message: string; details: { field: string } }
    expect(error.code).toBe('invalid_request')
    expect(error.details.field).toBe(field)
    expect(error.message).toMatch(message)
  })

  it('Should answer 404 for a design that does not exist', async () => {
    const { status, body } = await getJson('/analytics/designs/999999/summary')
    expect(status).toBe(404)
    expect(body).toEqual({ error: { code: 'not_found', message: 'design 999999 does not exist' } })
  })

  it.each<[string, string, unknown[], string[]]>([
    [
      'summary',
      DESIGN_SUMMARY,
      [1, MID_FROM, MID_TO, null],
      ['event_daily_pkey', 'events_design_occurred_at'],
    ],
    [
      'daily series',
      DESIGN_DAILY_SERIES,
      [1, MID_FROM, MID_TO],
      ['event_daily_pkey', 'events_design_occurred_at'],
    ],
    ['hourly series', DESIGN_HOURLY_SERIES, [1, MID_FROM, MID_TO], ['events_design_occurred_at']],
    [
      'top designs',
      topDesignsSql('revenue'),
      [MID_FROM, MID_TO, null, null, 10],
      ['event_daily_day', 'events_occurred_at'],
    ],
  ])('Should read the %s through its indexes', async (_, sql, params, indexes) => {
    const client = await pool.connect()
    try {
      await client.query('SET enable_seqscan = off') // a small table would otherwise be scanned
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)
      for (const index of indexes) expect(JSON.stringify(rows[0])).toContain(index)
    } finally {
      await client.query('RESET enable_seqscan')
      client.release()
    }
  })

  it('Should keep the daily totals equal to the events as more arrive', async () => {
    const totals = (sql: string) => pool.query(sql).then((r) => r.rows)
    const rollup = `SELECT design_id, day, product, impressions, clicks, add_to_cart, purchases, revenue
      FROM event_daily ORDER BY 1, 2, 3`
    const recomputed = `SELECT design_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, product,
        count(*) FILTER (WHERE kind = 'impression') AS impressions,
        count(*) FILTER (WHERE kind = 'click') AS clicks,
        count(*) FILTER (WHERE kind = 'add_to_cart') AS add_to_cart,
        count(*) FILTER (WHERE kind = 'purchase') AS purchases,
        sum(revenue)::numeric(14, 2) AS revenue
      FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
    expect(await totals(rollup)).toEqual(await totals(recomputed))
    // Two concurrent statements adding to the same design, day and product.
    const insert = `INSERT INTO events (design_id, product, kind, revenue, occurred_at)
      SELECT $1, 'mug', k, CASE WHEN k = 'purchase' THEN 12.5 ELSE 0 END, '2026-05-31T12:00:00Z'
      FROM unnest(ARRAY['impression', 'click', 'purchase']) k`
    await Promise.all([pool.query(insert, [ids[2]]), pool.query(insert, [ids[2]])])
    expect(await totals(rollup)).toEqual(await totals(recomputed))
    // The migration's backfill of events already there: the same statement over the table.
    await pool.query('DELETE FROM event_daily')
    await pool.query(`DO $$ BEGIN EXECUTE event_daily_add_sql('events'); END $$`)
    expect(await totals(rollup)).toEqual(await totals(recomputed))
  })

  it.each([['UPDATE events SET revenue = 0'], ['DELETE FROM events WHERE id = 1']])(
    'Should refuse %s: events are append-only',
    async (sql) => {
      await expect(pool.query(sql)).rejects.toThrow(/append-only/)
    },
  )
})
