/**
 * @module
 * How fresh a cached value is, from its age: stale-while-revalidate with a
 * soft and a hard TTL, and early probabilistic refresh (XFetch, Vattani et
 * al., "Optimal Probabilistic Cache Stampede Prevention", 2015) so keys cached
 * together do not all expire together.
 */

/**
 * `fresh`: serve it; `early`: serve it and refresh it in the background
 * (XFetch chose this caller); `stale`: past the soft TTL, serve it and
 * refresh; `expired`: past the hard TTL, a miss.
 */
export type Freshness = 'fresh' | 'early' | 'stale' | 'expired'

/** Options of {@link freshness}. */
export interface FreshnessOptions {
  /** Age from which a value is served stale and refreshed. */
  softTtlMs: number
  /** Age from which a value is not served at all. */
  hardTtlMs: number
  /** XFetch's beta: above 1 refreshes earlier, 0 turns early refresh off. @defaultValue 1 */
  beta?: number
  /** Uniform in [0, 1). @defaultValue `Math.random` */
  random?: () => number
}

/**
 * The freshness of a value `ageMs` old whose recomputation takes about
 * `deltaMs`: XFetch refreshes early when `age + delta * beta * -ln(rand)`
 * reaches the soft TTL, likelier the closer it is and the longer a recompute takes.
 */
export function freshness(ageMs: number, deltaMs: number, options: FreshnessOptions): Freshness {
  if (ageMs >= options.hardTtlMs) return 'expired'
  if (ageMs >= options.softTtlMs) return 'stale'
  const beta = options.beta ?? 1
  if (beta === 0 || deltaMs <= 0) return 'fresh'
  const random = options.random ?? Math.random
  return ageMs - deltaMs * beta * Math.log(random()) >= options.softTtlMs ? 'early' : 'fresh'
}
