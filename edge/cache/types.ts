/** @module The key-value cache contract the edge code sees (ioredis, Upstash or memory behind it). */

/** A string cache with expiry. Implementations throw when the backend is unreachable. */
export interface KeyValueCache {
  get(key: string): Promise<string | null>
  set(key: string, value: string, ttlSeconds: number): Promise<void>
}
