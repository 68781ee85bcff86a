/**
 * The GPU slot semaphore on the real Redis: limits, leases, release on every
 * path, metrics, contention from several processes, and a holder killed
 * while holding (its slot comes back when the lease runs out; none leaks).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { Redis } from 'ioredis'
import { Registry } from 'prom-client'
import { afterAll, describe, expect, it } from 'vitest'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import {
  createGpuSlotMetrics,
  SlotSemaphore,
  SlotWaitTimeoutError,
  withGpuSlot,
} from '../../gpu-worker/slots/index.ts'
import { testRedisUrl } from '../support/env.ts'
import { peakOverlap } from '../support/overlap.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const prefix = `test:slots:${randomUUID().slice(0, 8)}`
const redis = new Redis(testRedisUrl())

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`)
  if (keys.length) await redis.del(...keys)
  redis.disconnect()
})

const semaphore = (device: string, slots: number, leaseMs = 5000) =>
  new SlotSemaphore(redis, { slots, device, prefix, leaseMs })

function holder(
  device: string,
  slots: number,
  holdMs: number,
  iterations: number,
  leaseMs: number,
): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'tests/gpu/support/slot-holder.ts',
      testRedisUrl(),
      `${prefix}:${device}`,
      String(slots),
      String(holdMs),
      String(iterations),
      String(leaseMs),
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  )
}

describe('SlotSemaphore', () => {
  it('Should hand out at most `slots` leases and take them back', async () => {
    const sem = semaphore('limit', 2)
    const a = await sem.tryAcquire()
    const b = await sem.tryAcquire()
    expect(a && b).toBeTruthy()
    expect(await sem.tryAcquire()).toBeUndefined()
    await a!.release()
    const c = await sem.tryAcquire()
    expect(c).toBeDefined()
    await b!.release()
    await c!.release()
    expect(await sem.holders()).toBe(0)
  })

  it('Should free a slot whose lease ran out, and refuse to renew it', async () => {
    const sem = semaphore('lease', 1, 150)
    const lease = await sem.tryAcquire()
    expect(await sem.tryAcquire()).toBeUndefined()
    await new Promise((r) => setTimeout(r, 250))
    const next = await sem.tryAcquire()
    expect(next).toBeDefined()
    expect(await lease!.renew()).toBe(false)
    expect(await next!.renew()).toBe(true)
    await next!.release()
  })

  it('Should refuse a bad configuration', () => {
    expect(() => new SlotSemaphore(redis, { slots: 0 })).toThrow(/slots must be/)
    expect(() => new SlotSemaphore(redis, { slots: 1, leaseMs: 10 })).toThrow(/leaseMs/)
  })
})

describe('withGpuSlot', () => {
  it('Should release the slot when the work fails, and count the metrics', async () => {
    const registry = new Registry()
    const metrics = createGpuSlotMetrics(registry)
    const sem = semaphore('errors', 1)
    await expect(
      withGpuSlot(sem, async () => Promise.reject(new Error('boom')), { metrics }),
    ).rejects.toThrow('boom')
    expect(await sem.holders()).toBe(0)
    expect(await withGpuSlot(sem, async () => 7, { metrics })).toBe(7)
    const families = parsePrometheusText(await registry.metrics())
    expect(sampleValue(families, 'gpu_slot_acquire_total')).toBe(2)
    expect(sampleValue(families, 'gpu_slots_in_use')).toBe(0)
    expect(sampleValue(families, 'gpu_slot_wait_seconds_count')).toBe(2)
  })

  it('Should wait for a slot, and give up after the wait limit', async () => {
    const sem = semaphore('wait', 1)
    const held = await sem.tryAcquire()
    await expect(withGpuSlot(sem, async () => 1, { waitTimeoutMs: 100 })).rejects.toBeInstanceOf(
      SlotWaitTimeoutError,
    )
    setTimeout(() => void held!.release(), 100)
    expect(await withGpuSlot(sem, async () => 'got it', { waitTimeoutMs: 5000 })).toBe('got it')
  })

  it('Should keep a long job under its lease by renewing it', async () => {
    // Renewal runs every third of the lease: a lease of 1 s leaves a loaded
    // machine 600 ms of slack per renewal.
    const sem = semaphore('renew', 1, 1000)
    const result = await withGpuSlot(sem, async (signal) => {
      await new Promise((r) => setTimeout(r, 2500)) // well past two leases
      expect(await sem.tryAcquire()).toBeUndefined()
      return signal.aborted
    })
    expect(result).toBe(false)
  })

  it('Should never let more than `slots` processes hold a slot at once', async () => {
    const device = 'contention'
    const children = Array.from({ length: 4 }, () => holder(device, 2, 120, 3, 5000))
    const codes = await Promise.all(children.map(async (c) => (await once(c, 'exit'))[0]))
    expect(codes).toEqual([0, 0, 0, 0])
    const log = (await redis.lrange(`${prefix}:${device}:log`, 0, -1)).map(
      (l) => JSON.parse(l) as { start: number; end: number },
    )
    expect(log).toHaveLength(12)
    // The most held at any instant.
    const most = peakOverlap(log)
    expect(most).toBeLessThanOrEqual(2)
    expect(most).toBe(2)
    expect(
      await new SlotSemaphore(redis, { slots: 2, prefix: `${prefix}:${device}` }).holders(),
    ).toBe(0)
  })

  it('Should get back the slot of a holder killed while holding it', async () => {
    const device = 'killed'
    const child = holder(device, 1, 60_000, 1, 600)
    // Wait until the child holds the slot.
    for (let i = 0; i < 200 && (await redis.llen(`${prefix}:${device}:held`)) === 0; i++) {
      await new Promise((r) => setTimeout(r, 50))
    }
    const sem = new SlotSemaphore(redis, { slots: 1, prefix: `${prefix}:${device}`, leaseMs: 600 })
    expect(await sem.tryAcquire()).toBeUndefined()
    child.kill('SIGKILL')
    await once(child, 'exit')
    // No one releases it: the lease runs out and the slot is free again.
    expect(await withGpuSlot(sem, async () => 'recovered', { waitTimeoutMs: 10_000 })).toBe(
      'recovered',
    )
    expect(await sem.holders()).toBe(0)
  })
})
