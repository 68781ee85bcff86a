/**
 * @module
 * Realistic demo and benchmark signals: many topics with skewed (Zipf)
 * popularity, a day/night cycle, a few topics bursting in the last 24 hours,
 * several sources each with its own metric and value scale, and a share of
 * product-agnostic signals. Seeded: the same options give the same rows.
 */

import { SeededRandom } from '../../../core/platform/random.ts'
import type { SignalRow } from '../../../core/signals/index.ts'
import { PRODUCTS } from '../../../edge/score/index.ts'
import { dayNightAgeMs, weightedPicker, zipfWeights } from './synthetic.ts'

const STYLES = [
  'retro',
  'minimalist',
  'vintage',
  'kawaii',
  'cyberpunk',
  'boho',
  'y2k',
  'cottagecore',
  'grunge',
  'pastel',
  'neon',
  'gothic',
  'tropical',
  'nordic',
  'vaporwave',
  'art deco',
  'psychedelic',
  'botanical',
  'geometric',
  'watercolor',
]
const SUBJECTS = [
  'cats',
  'mushrooms',
  'frogs',
  'sunsets',
  'skulls',
  'florals',
  'dinosaurs',
  'astronauts',
  'coffee',
  'waves',
  'mountains',
  'bees',
  'moths',
  'strawberries',
  'dragons',
  'foxes',
  'cacti',
  'planets',
  'tigers',
  'lemons',
  'ghosts',
  'owls',
  'whales',
  'peonies',
  'robots',
]
/** Each source reports one metric on its own scale (median value). */
const SOURCES = [
  { source: 'google_trends', metric: 'search_index', median: 40, weight: 3 },
  { source: 'pinterest', metric: 'saves', median: 120, weight: 3 },
  { source: 'tiktok', metric: 'views', median: 5000, weight: 2 },
  { source: 'instagram', metric: 'likes', median: 800, weight: 2 },
  { source: 'etsy', metric: 'sales', median: 6, weight: 1 },
  { source: 'reddit', metric: 'mentions', median: 15, weight: 1 },
] as const

/** Every topic the generator uses, most popular first. */
export const DEMO_TOPICS: readonly string[] = SUBJECTS.flatMap((subject, i) =>
  STYLES.map((_, j) => `${STYLES[(i + j) % STYLES.length]} ${subject}`),
)

/** Options of {@link generateSignals}. */
export interface GenerateOptions {
  count: number
  /** @defaultValue 1 */
  seed?: number
  /** End of the generated window. @defaultValue now */
  now?: Date
  /** Days of history. @defaultValue 8 (one more than the score window) */
  days?: number
  /** Topics to draw from, most popular first. @defaultValue {@link DEMO_TOPICS} */
  topics?: readonly string[]
  /** Share of topics bursting (3x rate) in the last 24 h. @defaultValue 0.1 */
  burstShare?: number
}

/** Generates `count` signals, yielding them in batches of `batchSize`. */
export function* generateSignals(
  options: GenerateOptions,
  batchSize = 5000,
): Generator<SignalRow[]> {
  const random = new SeededRandom(options.seed ?? 1)
  const now = (options.now ?? new Date()).getTime()
  const days = options.days ?? 8
  const topics = options.topics ?? DEMO_TOPICS
  const bursting = new Set(topics.filter(() => random.uniform() < (options.burstShare ?? 0.1)))
  // Zipf-like popularity; a bursting topic weighs 3x, but only in the last day.
  const base = zipfWeights(topics.length, 1.1)
  const pickAny = weightedPicker(base)
  const pickRecent = weightedPicker(topics.map((t, i) => base[i]! * (bursting.has(t) ? 3 : 1)))
  const pickSource = weightedPicker(SOURCES.map((s) => s.weight))
  const span = days * 86_400_000
  let batch: SignalRow[] = []
  for (let n = 0; n < options.count; n++) {
    const ageMs = dayNightAgeMs(random, now, span, 0.9)
    const topic = topics[(ageMs < 86_400_000 ? pickRecent : pickAny)(random.uniform())]!
    const { source, metric, median } = SOURCES[pickSource(random.uniform())]!
    const productDraw = random.uniform()
    batch.push({
      topic,
      product:
        productDraw < 0.4
          ? null
          : PRODUCTS[Math.floor(((productDraw - 0.4) / 0.6) * PRODUCTS.length)]!,
      source,
      metric,
      // Log-normal around the source's median, rounded as counts are.
      value: Math.max(1, Math.round(median * Math.exp(0.8 * random.normal()))),
      observedAt: new Date(now - ageMs),
    })
    if (batch.length === batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}
