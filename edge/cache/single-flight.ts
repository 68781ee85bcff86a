/**
 * @module
 * Single flight: concurrent calls for one key share one execution, so 50
 * simultaneous misses for a topic run one query, not 50.
 */

/** Deduplicates concurrent work by key. */
export class SingleFlight<T> {
  readonly #inFlight = new Map<string, Promise<T>>()

  /** Runs `work` unless a call for `key` is already running, whose result is shared. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key)
    if (running) return running
    const promise = work().finally(() => this.#inFlight.delete(key))
    this.#inFlight.set(key, promise)
    return promise
  }

  get size(): number {
    return this.#inFlight.size
  }
}
