/** @module The key-value cache contract the edge code sees (ioredis, Upstash or memory behind it). */

/** A string cache with expiry. Implementations throw when the backend is unreachable. */
export interface KeyValueCache {
  get(key: string): Promise<string | null>
  set(key: string, value: string, ttlSeconds: number): Promise<void>
  /**
   * Takes the short lock `key` for `ttlMs` (`SET key 1 NX PX ttlMs`): true
   * for the one caller, across processes, that got it; false while it is held.
   * The lock is never released, only expires: it guards one refresh.
   */
  claim(key: string, ttlMs: number): Promise<boolean>
}
