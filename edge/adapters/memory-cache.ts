/**
 * @module
 * `EDGE_CACHE=memory`: a process-local {@link KeyValueCache}, for a single
 * isolate without Redis (demos, previews). Each isolate has its own copy, so
 * it is no shared cache; the score service's L1 sits in front of it as usual.
 */
import type { KeyValueCache } from '../cache/types.ts'

/** Options of {@link memoryCache}. */
export interface MemoryCacheOptions {
  /** Entries kept at most; the oldest is dropped beyond. @defaultValue 10000 */
  maxEntries?: number
  /** Clock in ms. @defaultValue `Date.now` */
  now?: () => number
}

/** A bounded in-memory cache with per-key expiry. */
export function memoryCache(options: MemoryCacheOptions = {}): KeyValueCache {
  const maxEntries = options.maxEntries ?? 10_000
  const now = options.now ?? Date.now
  const entries = new Map<string, { value: string; expires: number }>()
  return {
    async get(key) {
      const entry = entries.get(key)
      if (!entry) return null
      if (entry.expires > now()) return entry.value
      entries.delete(key)
      return null
    },
    async set(key, value, ttlSeconds) {
      entries.delete(key) // re-insert: Map order is the insertion order
      entries.set(key, { value, expires: now() + ttlSeconds * 1000 })
      if (entries.size <= maxEntries) return
      const oldest = entries.keys().next()
      if (!oldest.done) entries.delete(oldest.value)
    },
  }
}
