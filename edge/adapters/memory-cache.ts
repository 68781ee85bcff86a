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
  const live = (key: string) => {
    const entry = entries.get(key)
    if (!entry) return undefined
    if (entry.expires > now()) return entry
    entries.delete(key)
    return undefined
  }
  const put = (key: string, value: string, ttlMs: number) => {
    entries.delete(key) // re-insert: Map order is the insertion order
    entries.set(key, { value, expires: now() + ttlMs })
    if (entries.size <= maxEntries) return
    const oldest = entries.keys().next()
    if (!oldest.done) entries.delete(oldest.value)
  }
  return {
    async get(key) {
      return live(key)?.value ?? null
    },
    async set(key, value, ttlSeconds) {
      put(key, value, ttlSeconds * 1000)
    },
    async claim(key, ttlMs) {
      if (live(key)) return false
      put(key, '1', ttlMs)
      return true
    },
  }
}
