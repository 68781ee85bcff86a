import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { insertSignals } from '../../core/signals/index.ts'
import {
  countSignals,
  DEMO_TOPICS,
  generateSignals,
  seedSignals,
} from '../../scripts/dev/demo-data/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'

const now = new Date('2026-06-01T12:00:00Z')
let schema: TestSchema
let pool: pg.Pool

beforeAll(async () => {
  schema = await createTestSchema('signals_gen')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 2, name: 'signals_gen' })
  await migrate(pool, { schema: schema.schema })
})
afterAll(async () => {
  await pool.end()
  await schema.drop()
})

describe('signal generator', () => {
  it('Should be reproducible for a seed and differ across seeds', () => {
    const a = [...generateSignals({ count: 500, seed: 7, now })].flat()
    const b = [...generateSignals({ count: 500, seed: 7, now })].flat()
    const c = [...generateSignals({ count: 500, seed: 8, now })].flat()
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
  })

  it('Should skew popularity, spread sources and stay in the window', () => {
    const rows = [...generateSignals({ count: 10_000, seed: 3, now, days: 8 }, 1000)].flat()
    expect(rows).toHaveLength(10_000)
    const byTopic = new Map<string, number>()
    for (const row of rows) byTopic.set(row.topic, (byTopic.get(row.topic) ?? 0) + 1)
    const counts = [...byTopic.values()].sort((x, y) => y - x)
    // Zipf: the top topic has many times the median topic's signals.
    expect(counts[0]!).toBeGreaterThan(5 * counts[Math.floor(counts.length / 2)]!)
    expect(new Set(rows.map((r) => r.source)).size).toBe(6)
    expect(rows.some((r) => r.product === null) && rows.some((r) => r.product === 'mug')).toBe(true)
    const oldest = Math.min(...rows.map((r) => r.observedAt.getTime()))
    expect(oldest).toBeGreaterThanOrEqual(now.getTime() - 8 * 86_400_000)
    expect(Math.max(...rows.map((r) => r.observedAt.getTime()))).toBeLessThanOrEqual(now.getTime())
    expect(rows.every((r) => DEMO_TOPICS.includes(r.topic) && r.value >= 1)).toBe(true)
  })

  it('Should insert idempotently: seeding twice adds nothing', async () => {
    const progress: number[] = []
    const first = await seedSignals(pool, { count: 3000, seed: 11, now }, (done) =>
      progress.push(done),
    )
    expect(first).toBe(await countSignals(pool))
    expect(progress.at(-1)).toBe(3000)
    expect(await seedSignals(pool, { count: 3000, seed: 11, now })).toBe(0)
    const rows = [...generateSignals({ count: 10, seed: 11, now })].flat()
    expect(await insertSignals(pool, rows)).toBe(0)
    expect(
      await insertSignals(pool, [
        { ...rows[0]!, id: 'client-1' },
        { ...rows[0]!, id: 'client-1' },
      ]),
    ).toBe(1)
  })
})
