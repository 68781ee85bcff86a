/**
 * @module
 * Building blocks of the synthetic data generators (signals, storefront
 * events): skewed popularity and a day/night rhythm, from a seeded stream.
 */
import type { SeededRandom } from '../../../core/platform/random.ts'

const DAY_MS = 86_400_000

/** Zipf-like weights for `n` items by rank: 1 / (rank + 1)^s. */
export function zipfWeights(n: number, s: number): number[] {
  return Array.from({ length: n }, (_, rank) => 1 / (rank + 1) ** s)
}

/** A function from one uniform draw in (0, 1] to an index chosen with the given weights. */
export function weightedPicker(weights: readonly number[]): (u: number) => number {
  const total = weights.reduce((a, b) => a + b, 0)
  const cumulative: number[] = []
  let sum = 0
  for (const w of weights) {
    sum += w / total
    cumulative.push(sum)
  }
  return (u) => {
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < u) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/**
 * An age in ms within `spanMs` before `nowMs`, denser by day than by night:
 * a candidate time is kept with probability `1 - depth/2 + depth/2 * sin(hour angle)`.
 */
export function dayNightAgeMs(
  random: SeededRandom,
  nowMs: number,
  spanMs: number,
  depth: number,
): number {
  for (;;) {
    const ageMs = random.uniform() * spanMs
    const angle = (2 * Math.PI * ((nowMs - ageMs) % DAY_MS)) / DAY_MS
    if (random.uniform() <= 1 - depth / 2 + (depth / 2) * Math.sin(angle)) return ageMs
  }
}
