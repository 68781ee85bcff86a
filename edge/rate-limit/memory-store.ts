/**
 * @module
 * An isolate-local {@link RateLimitStore}: each process or isolate counts on
 * its own, so a limit of N allows N per instance. For the edge where no
 * shared store is configured (`EDGE_CACHE=memory`), the fallback while the
 * shared store is down, and tests.
 */
import type { RateLimitStore } from './types.ts'

/** Options of {@link memoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** Buckets kept at most; the oldest go first, so memory stays bounded. @defaultValue 10000 */
  maxBuckets?: number
  /** The clock (tests). @defaultValue `Date.now` */
  now?: () => number
}

/** A fixed-window store in a `Map`. */
export function memoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  const maxBuckets = options.maxBuckets ?? 10_000
  if (!(maxBuckets > 0)) throw new Error('memoryRateLimitStore needs maxBuckets > 0')
  const now = options.now ?? Date.now
  const buckets = new Map<string, { count: number; endsAt: number }>()
  return {
    async hit(key, windowMs, cost) {
      const at = now()
      let bucket = buckets.get(key)
      if (!bucket || bucket.endsAt <= at) {
        buckets.delete(key)
        // Map keeps insertion order: the first key is the oldest window.
        if (buckets.size >= maxBuckets) buckets.delete(buckets.keys().next().value as string)
        bucket = { count: 0, endsAt: at + windowMs }
        buckets.set(key, bucket)
      }
      bucket.count += cost
      return { count: bucket.count, resetMs: bucket.endsAt - at }
    },
  }
}
