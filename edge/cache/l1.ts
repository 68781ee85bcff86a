/**
 * @module
 * The in-process L1 cache: bounded (least recently used goes first) with a
 * short time to live, so a hot key is served without a network round trip
 * and a changed value shows within seconds.
 */

/** Options of {@link L1Cache}. */
export interface L1Options {
  /** Entries kept at most. */
  maxEntries: number
  /** How long an entry is served, in ms. */
  ttlMs: number
  /** Clock in ms. @defaultValue `Date.now` */
  now?: () => number
}

/** A bounded LRU map with expiry. */
export class L1Cache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>()
  readonly #options: Required<L1Options>

  constructor(options: L1Options) {
    if (!(options.maxEntries > 0) || !(options.ttlMs > 0)) {
      throw new Error('L1Cache needs maxEntries > 0 and ttlMs > 0')
    }
    this.#options = { now: Date.now, ...options }
  }

  /** The live value of `key`, refreshing its recency; undefined when absent or expired. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    this.#entries.delete(key)
    if (entry.expires <= this.#options.now()) return undefined
    this.#entries.set(key, entry) // re-insert: Map order is the recency order
    return entry.value
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: string, value: V): void {
    this.#entries.delete(key)
    if (this.#entries.size >= this.#options.maxEntries) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(key, { value, expires: this.#options.now() + this.#options.ttlMs })
  }

  get size(): number {
    return this.#entries.size
  }
}
