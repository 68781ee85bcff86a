/**
 * @module
 * Realistic storefront events: designs with skewed (Zipf) popularity, a
 * day/night cycle, and a funnel (impressions, then fewer clicks, carts and
 * purchases) with product prices. Seeded; inserted in batches with one array
 * parameter per column.
 */
import type pg from 'pg'
import { SeededRandom } from '../../../core/platform/random.ts'
import { PRODUCTS } from '../../../edge/score/index.ts'
import { DEMO_TOPICS } from './signals.ts'
import { dayNightAgeMs, weightedPicker, zipfWeights } from './synthetic.ts'

const KINDS = [
  { kind: 'impression', share: 0.8 },
  { kind: 'click', share: 0.12 },
  { kind: 'add_to_cart', share: 0.05 },
  { kind: 'purchase', share: 0.03 },
] as const
const PRICES: Record<(typeof PRODUCTS)[number], number> = {
  shirt: 24.99,
  mug: 14.99,
  poster: 19.99,
}

/** Options of {@link seedAnalytics}. */
export interface AnalyticsSeedOptions {
  designs: number
  events: number
  /** @defaultValue 1 */
  seed?: number
  /** End of the window. @defaultValue now */
  now?: Date
  /** Days of history. @defaultValue 30 */
  days?: number
  batchSize?: number
}

const INSERT_DESIGNS = `
INSERT INTO designs (slug, title, topic)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
ON CONFLICT (slug) DO NOTHING`

const INSERT_EVENTS = `
INSERT INTO events (design_id, product, kind, revenue, occurred_at)
SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::numeric[], $5::timestamptz[])`

/** Creates the designs (idempotent by slug) and returns their ids, most popular first. */
async function ensureDesigns(pool: pg.Pool, count: number): Promise<number[]> {
  const slugs = Array.from(
    { length: count },
    (_, i) => `${DEMO_TOPICS[i % DEMO_TOPICS.length]!.replace(/\s+/g, '-')}-${i + 1}`,
  )
  await pool.query(INSERT_DESIGNS, [
    slugs,
    slugs.map((_, i) => `${DEMO_TOPICS[i % DEMO_TOPICS.length]} #${i + 1}`),
    slugs.map((_, i) => DEMO_TOPICS[i % DEMO_TOPICS.length]!),
  ])
  const { rows } = await pool.query<{ id: string; slug: string }>(
    'SELECT id, slug FROM designs WHERE slug = ANY($1)',
    [slugs],
  )
  const bySlug = new Map(rows.map((r) => [r.slug, Number(r.id)]))
  return slugs.map((slug) => bySlug.get(slug)!)
}

/** Inserts designs and `events` generated events; returns the design ids. */
export async function seedAnalytics(
  pool: pg.Pool,
  options: AnalyticsSeedOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<number[]> {
  const random = new SeededRandom(options.seed ?? 1)
  const ids = await ensureDesigns(pool, options.designs)
  const now = (options.now ?? new Date()).getTime()
  const span = (options.days ?? 30) * 86_400_000
  const batchSize = options.batchSize ?? 10_000
  const pickDesign = weightedPicker(zipfWeights(ids.length, 1.07))
  const pickKind = weightedPicker(KINDS.map((k) => k.share))
  for (let done = 0; done < options.events; ) {
    const n = Math.min(batchSize, options.events - done)
    const cols = {
      design: [] as number[],
      product: [] as string[],
      kind: [] as string[],
      revenue: [] as number[],
      at: [] as string[],
    }
    for (let i = 0; i < n; i++) {
      const ageMs = dayNightAgeMs(random, now, span, 1)
      const product = PRODUCTS[Math.floor(random.uniform() * PRODUCTS.length) % PRODUCTS.length]!
      const { kind } = KINDS[pickKind(random.uniform())]!
      cols.design.push(ids[pickDesign(random.uniform())]!)
      cols.product.push(product)
      cols.kind.push(kind)
      cols.revenue.push(
        kind === 'purchase'
          ? Math.round(PRICES[product] * (0.9 + 0.2 * random.uniform()) * 100) / 100
          : 0,
      )
      cols.at.push(new Date(now - ageMs).toISOString())
    }
    await pool.query(INSERT_EVENTS, [cols.design, cols.product, cols.kind, cols.revenue, cols.at])
    done += n
    onProgress?.(done, options.events)
  }
  return ids
}
