/**
 * A worker process for the slot contention test: takes a GPU slot
 * `iterations` times, holds it `holdMs` each time, and logs each holding
 * interval to a Redis list.
 *
 *   node --import tsx slot-holder.ts <redisUrl> <prefix> <slots> <holdMs> <iterations> <leaseMs>
 */
import { Redis } from 'ioredis'
import { SlotSemaphore, withGpuSlot } from '../../../gpu-worker/slots/index.ts'

const [url, prefix, slots, holdMs, iterations, leaseMs] = process.argv.slice(2)
const redis = new Redis(url!)
const semaphore = new SlotSemaphore(redis, {
  slots: Number(slots),
  prefix,
  leaseMs: Number(leaseMs),
})
for (let i = 0; i < Number(iterations); i++) {
  await withGpuSlot(semaphore, async () => {
    const start = Date.now()
    await redis.rpush(`${prefix}:held`, String(process.pid)) // tells the test a slot is held
    await new Promise((resolve) => setTimeout(resolve, Number(holdMs)))
    await redis.rpush(`${prefix}:log`, JSON.stringify({ pid: process.pid, start, end: Date.now() }))
  })
}
redis.disconnect()
