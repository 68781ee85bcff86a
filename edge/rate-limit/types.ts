/**
 * @module
 * The contract a rate-limit store implements: one fixed-window counter per
 * bucket. ioredis (core), Upstash REST and an isolate-local map (edge) each
 * implement it in one small file.
 */

/** The state of a bucket's window after one hit. */
export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number
  /** Milliseconds until the window ends and the count starts again. */
  resetMs: number
}

/** A fixed-window counter store. */
export interface RateLimitStore {
  /**
   * Counts `cost` hits (one per call: a tRPC batch costs its calls) on `key`
   * in a window of `windowMs`; rejects when the store is down.
   */
  hit(key: string, windowMs: number, cost: number): Promise<WindowCount>
}

/**
 * Where the limiter reports its in-memory fallback (DESIGN.md metric names):
 * `rate_limit_fallback_active{service}` and
 * `rate_limit_fallback_requests_total{service}` on Node.
 */
export interface RateLimitObserver {
  /** The limiter entered (true) or left (false) its in-memory fallback. */
  fallbackActive(active: boolean): void
  /** One request was counted in memory because the store failed. */
  fallbackRequest(): void
}

/**
 * The Lua script stores with scripting run: one INCRBY, the expiry set when
 * the key has none (the window's first hit, so a window never outlives
 * `windowMs`), and the TTL left. KEYS[1] bucket; ARGV[1] window in ms;
 * ARGV[2] cost. Returns `{count, pttl}`.
 */
export const FIXED_WINDOW_LUA = `local n = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`

/** Reads the script's `{count, pttl}` reply, whatever the client decoded it to. */
export function windowCountOf(reply: unknown, windowMs: number): WindowCount {
  const [count, ttl] = Array.isArray(reply) ? reply.map(Number) : []
  if (count === undefined || !Number.isFinite(count)) {
    throw new Error('rate-limit store answered an unexpected reply')
  }
  return { count, resetMs: ttl !== undefined && ttl >= 0 ? ttl : windowMs }
}
