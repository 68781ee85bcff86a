/**
 * @module
 * A store that degrades instead of vanishing: hits go to the shared store;
 * when it fails or does not answer in time, they are counted in this
 * process's memory against its share of the limit (the limit divided by the
 * processes that share it), until the shared store answers again. While in
 * fallback the shared store is tried at most once per `probeMs`, so a store
 * that hangs costs one request a deadline, not every request. Entering and
 * leaving are one log line each and the observer's gauge.
 */
import { withTimeout } from '../cache/timeout.ts'
import { memoryRateLimitStore } from './memory-store.ts'
import type { RateLimitObserver, RateLimitStore, WindowCount } from './types.ts'

/** Where entering and leaving the fallback is logged. */
export interface FallbackLogger {
  error(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
}

/** Options of {@link fallbackCounter}. */
export interface FallbackCounterOptions {
  store: RateLimitStore
  /** The shared limit per window. */
  limit: number
  /** Processes (or isolates) that share the limit: each allows `limit / processes` in fallback. */
  processes: number
  /** Longest wait for the shared store. */
  timeoutMs: number
  /** Least time between tries of a failed shared store. @defaultValue 1000 */
  probeMs?: number
  /** Service name on the log lines (`edge`, `core`). */
  service: string
  logger?: FallbackLogger
  observer?: RateLimitObserver
  /** The clock (tests). @defaultValue `Date.now` */
  now?: () => number
}

/** A hit's count and the limit it is held to (the share, while in fallback). */
export interface CountedHit extends WindowCount {
  limit: number
}

/** The share of `limit` one of `processes` allows on its own (at least 1). */
export function fallbackShare(limit: number, processes: number): number {
  return Math.max(1, Math.floor(limit / processes))
}

/** Builds the counter the limiter hits. */
export function fallbackCounter(options: FallbackCounterOptions) {
  const { store, limit, timeoutMs, service, logger, observer } = options
  const share = fallbackShare(limit, options.processes)
  const probeMs = options.probeMs ?? 1000
  const now = options.now ?? Date.now
  const memory = memoryRateLimitStore({ now })
  let active = false
  let nextProbeAt = 0

  async function inMemory(key: string, windowMs: number, cost: number): Promise<CountedHit> {
    observer?.fallbackRequest()
    return { ...(await memory.hit(key, windowMs, cost)), limit: share }
  }

  return {
    /** Whether hits are counted in memory now. */
    get active() {
      return active
    },
    async hit(key: string, windowMs: number, cost: number): Promise<CountedHit> {
      if (active) {
        if (now() < nextProbeAt) return inMemory(key, windowMs, cost)
        // This request probes the store; the ones arriving meanwhile keep to memory.
        nextProbeAt = now() + probeMs
      }
      try {
        const counted = await withTimeout(
          store.hit(key, windowMs, cost),
          timeoutMs,
          'rate-limit store',
        )
        if (active) {
          active = false
          observer?.fallbackActive(false)
          logger?.info({ service }, 'rate-limit store is back: counting shared limits again')
        }
        return { ...counted, limit }
      } catch (err) {
        nextProbeAt = now() + probeMs
        if (!active) {
          active = true
          observer?.fallbackActive(true)
          logger?.error(
            { err, service, limit: share, processes: options.processes },
            'rate-limit store failed: counting in memory, this process allows its share of the limit',
          )
        }
        return inMemory(key, windowMs, cost)
      }
    },
  }
}
