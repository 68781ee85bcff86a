/** @module The most GPU slots held at once across several devices' slot sets, sampled from Redis. */
import type { Redis } from 'ioredis'

/**
 * Samples every `interval` ms how many slots the slot sets `keys` hold
 * together (one MULTI, so the devices are read at the same instant);
 * `stop()` gives the peak.
 */
export function sampleSlotPeak(
  redis: Redis,
  keys: readonly string[],
  interval = 10,
): { stop: () => Promise<number> } {
  let peak = 0
  let running = true
  const loop = (async () => {
    while (running) {
      const multi = redis.multi()
      for (const key of keys) multi.zcard(key)
      const replies = (await multi.exec()) ?? []
      const held = replies.reduce((sum, [err, n]) => sum + (err ? 0 : Number(n)), 0)
      peak = Math.max(peak, held)
      await new Promise((r) => setTimeout(r, interval))
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return peak
    },
  }
}
