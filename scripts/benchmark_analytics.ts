/**
 * @module
 * The seed's analytics finding, measured: aggregating 1M storefront events in
 * the database (SUM/COUNT FILTER, GROUP BY) against loading the rows and
 * summing them in JavaScript, in one run: time and peak memory of each, and
 * the design-summary latency. Each aggregation runs three times; the median
 * time and the highest memory peak are reported.
 *
 *   npx tsx scripts/benchmark_analytics.ts [--events 1000000] [--runs 20]
 *
 * Works in its own `bench_analytics` schema (seeded once, with progress).
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createAnalyticsStore } from '../core/analytics/store.ts'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { progress } from './bench/progress.ts'
import { median, quantile } from './bench/stats.ts'
import { seedAnalytics } from './dev/demo-data/index.ts'
import { resolvePostgres } from './dev/embedded/index.ts'

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '20' },
  },
})
const eventCount = Number(values.events)
const runs = Number(values.runs)
if (!(Number.isInteger(eventCount) && eventCount > 0 && Number.isInteger(runs) && runs > 0)) {
  process.stderr.write('usage: benchmark_analytics.ts [--events N] [--runs N]\n')
  process.exit(2)
}

const SCHEMA = 'bench_analytics'
const NOW = new Date('2026-06-01T00:00:00Z')
const PERIOD = { from: new Date('2026-05-02T00:00:00Z'), to: NOW }

/** Runs `fn` once while sampling RSS every 5 ms; returns its time and the RSS growth at the peak. */
async function measuredOnce<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; ms: number; peakMb: number }> {
  global.gc?.()
  const base = process.memoryUsage().rss
  let peak = base
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 5)
  const started = performance.now()
  const value = await fn()
  const ms = performance.now() - started
  clearInterval(timer)
  peak = Math.max(peak, process.memoryUsage().rss)
  return { value, ms, peakMb: (peak - base) / 1e6 }
}

/** `fn` three times: the median time (a cold first plan or cache miss is one of three) and the highest peak. */
async function measured<T>(fn: () => Promise<T>) {
  const runs = []
  for (let i = 0; i < 3; i++) runs.push(await measuredOnce(fn))
  return {
    value: runs[0]!.value,
    ms: median(runs.map((r) => r.ms)),
    peakMb: Math.max(...runs.map((r) => r.peakMb)),
  }
}

const postgres = await resolvePostgres(
  process.env.DATABASE_URL,
  resolve(import.meta.dirname, '../.data'),
)
const pool = createPool({ url: postgres.url, schema: SCHEMA, size: 4, name: 'bench-analytics' })
try {
  await migrate(pool, { schema: SCHEMA })
  const have = Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n)
  if (have < eventCount) {
    await pool.query('TRUNCATE events, event_daily, designs RESTART IDENTITY')
    const bar = progress('seeding events', eventCount)
    await seedAnalytics(
      pool,
      { designs: 500, events: eventCount, seed: 9, now: NOW, days: 30, batchSize: 20_000 },
      bar.tick,
    )
    bar.done()
    await pool.query('VACUUM ANALYZE events') // visibility map: lets the index-only scans skip the heap
  }
  const events = Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n)
  const store = createAnalyticsStore(pool)

  // 1. Top designs by revenue over the period: the API's SQL (whole days from the
  // event_daily totals), one SUM over the raw events, and rows summed in JS.
  const sql = await measured(() => store.topDesigns('revenue', PERIOD, 10))
  const raw = await measured(
    async () =>
      (
        await pool.query<{ design_id: string }>(
          `SELECT design_id, sum(revenue) AS revenue FROM events
           WHERE occurred_at >= $1 AND occurred_at < $2
           GROUP BY design_id ORDER BY revenue DESC, design_id LIMIT 10`,
          [PERIOD.from, PERIOD.to],
        )
      ).rows,
  )
  const js = await measured(async () => {
    const { rows } = await pool.query<{ design_id: string; kind: string; revenue: string }>(
      'SELECT design_id, kind, revenue FROM events WHERE occurred_at >= $1 AND occurred_at < $2',
      [PERIOD.from, PERIOD.to],
    )
    const revenue = new Map<string, number>()
    for (const row of rows)
      revenue.set(row.design_id, (revenue.get(row.design_id) ?? 0) + Number(row.revenue))
    return [...revenue.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
  })
  const sqlTop = sql.value.items.map((i) => [String(i.designId), i.revenue])
  const ids = (list: unknown[][]) => JSON.stringify(list.map(([id]) => String(id)))
  const agree =
    ids(sqlTop) === ids(js.value) && ids(sqlTop) === ids(raw.value.map((r) => [r.design_id]))

  // 2. Design summary latency (the most popular design: the most rows).
  const top = sql.value.items[0]!.designId
  // Whole days (all from the daily totals), and a period cut mid-day at both
  // ends (the partial days read from events).
  const midDay = {
    from: new Date(PERIOD.from.getTime() + 13.3 * 3600_000),
    to: new Date(PERIOD.to.getTime() - 5.7 * 3600_000),
  }
  const summaryLatencies = async (period: typeof PERIOD) => {
    const latencies: number[] = []
    for (let i = 0; i < runs; i++) {
      const started = performance.now()
      await store.designSummary(top, period)
      latencies.push(performance.now() - started)
    }
    return latencies
  }
  const latencies = await summaryLatencies(PERIOD)
  const midDayLatencies = await summaryLatencies(midDay)

  const line = (label: string, m: { ms: number; peakMb: number }) =>
    `${label.padEnd(26)} ${(m.ms / 1000).toFixed(2)}s   peak RSS +${m.peakMb.toFixed(0)} MB`
  console.log(`events: ${events} in schema ${SCHEMA}`)
  console.log(line('SQL, API query (top 10):', sql))
  console.log(line('SQL, SUM over raw events:', raw))
  console.log(line('Rows summed in JS (top 10):', js))
  console.log(
    `SQL is ${(js.ms / sql.ms).toFixed(1)}x faster (goal >= 20x); SUM over raw events ${(js.ms / raw.ms).toFixed(1)}x; same top 10: ${agree ? 'yes' : 'NO'}`,
  )
  const summaryLine = (label: string, l: number[]) =>
    `design summary, ${label} (${runs} runs): p50 ${median(l).toFixed(1)} ms, p95 ${quantile(l, 0.95).toFixed(1)} ms (goal p50 < 50 ms)`
  console.log(summaryLine('whole days', latencies))
  console.log(summaryLine('cut mid-day', midDayLatencies))
} finally {
  await pool.end()
  await postgres.stop()
}
