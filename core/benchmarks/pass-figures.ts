/**
 * @module
 * The score benchmark's statistics, apart from any I/O: which cache tier an
 * answer came from (its `X-Cache`), and a pass's total and tail latencies.
 */

/** One timed answer: its latency and the cache headers the edge set. */
export interface TimedAnswer {
  latencyMs: number
  /** `X-Cache`: HIT, STALE, MISS or BYPASS on `/score`; absent elsewhere. */
  xCache?: string
  /** `X-Cache-Tier` on a HIT: l1 or redis. */
  tier?: string
}

/** What one pass measured. */
export interface PassFigures {
  label: string
  /** Sum of the latencies, in seconds: the pass's time for its requests. */
  totalS: number
  latenciesMs: number[]
  /** Count of each X-Cache value (with X-Cache-Tier on hits) seen, `none` without the header. */
  cache: Record<string, number>
  p50Ms: number
  p95Ms: number
  p99Ms: number
}

/** How an answer was served, from the edge's point of view. */
export type CacheClass = 'uncached' | 'cached'

/**
 * The class of an `X-Cache` value (edge/score/route.ts): HIT and STALE (past
 * the soft TTL, refreshed in the background) are cached; MISS and BYPASS (the
 * cache was down) were computed from the database. Anything else (another
 * cache's header, none) is undefined: not an answer of ours.
 */
export function cacheClass(xCache: string | undefined): CacheClass | undefined {
  if (xCache === 'HIT' || xCache === 'STALE') return 'cached'
  if (xCache === 'MISS' || xCache === 'BYPASS') return 'uncached'
  return undefined
}

/** The q-quantile of ascending `sorted`, interpolated between neighbours; NaN when empty. */
function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * q
  const below = sorted[Math.floor(position)]!
  const above = sorted[Math.ceil(position)]!
  return below + (above - below) * (position - Math.floor(position))
}

/** The figures of a pass over `answers`. */
export function passFigures(label: string, answers: readonly TimedAnswer[]): PassFigures {
  const latenciesMs = answers.map((a) => a.latencyMs)
  // Sorted once for all three quantiles.
  const sorted = [...latenciesMs].sort((a, b) => a - b)
  const cache: Record<string, number> = {}
  for (const { xCache, tier } of answers) {
    const tag = [xCache, tier].filter(Boolean).join('/') || 'none'
    cache[tag] = (cache[tag] ?? 0) + 1
  }
  return {
    label,
    totalS: latenciesMs.reduce((sum, ms) => sum + ms, 0) / 1000,
    latenciesMs,
    cache,
    p50Ms: quantileOfSorted(sorted, 0.5),
    p95Ms: quantileOfSorted(sorted, 0.95),
    p99Ms: quantileOfSorted(sorted, 0.99),
  }
}
