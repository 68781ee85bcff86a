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
  /** Counts one hit on `key` in a window of `windowMs`; rejects when the store is down. */
  hit(key: string, windowMs: number): Promise<WindowCount>
}

/**
 * The Lua script stores with scripting run: one INCR, the expiry set on the
 * window's first hit (so a window never outlives `windowMs`), and the TTL left.
 * KEYS[1] bucket; ARGV[1] window in ms. Returns `{count, pttl}`.
 */
export const FIXED_WINDOW_LUA = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
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
