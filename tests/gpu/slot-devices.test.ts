/**
 * GPU slots keyed by the physical device, on the real Redis: workers whose
 * driver reports different GPUs hold slots at once; workers on one GPU share
 * its slots. The driver is a stand-in `nvidia-smi` that prints what the real
 * one prints inside a pod (only that pod's GPUs).
 */
import { randomUUID } from 'node:crypto'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  readGpuUuids,
  resolveSlotDevice,
  SlotSemaphore,
  withGpuSlot,
} from '../../gpu-worker/slots/index.ts'
import { testRedisUrl } from '../support/env.ts'

const GPU_A = 'GPU-8f3c1a2b-0d4e-4f5a-9b6c-7d8e9f0a1b2c'
const GPU_B = 'GPU-11112222-3333-4444-5555-666677778888'
const prefix = `test:slot-devices:${randomUUID().slice(0, 8)}`
const redis = new Redis(testRedisUrl())
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nvidia-smi-uuid-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  const keys = await redis.keys(`${prefix}*`)
  if (keys.length) await redis.del(...keys)
  redis.disconnect()
})

/** A stand-in nvidia-smi printing `index, uuid` lines. */
async function driver(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, `#!/bin/sh\nprintf '${lines.map((l) => `${l}\\n`).join('')}'\n`)
  await chmod(path, 0o755)
  return path
}

/** A GPU worker's semaphore (GPU_SLOTS=1), keyed the way gpu-worker/main.ts keys it. */
async function worker(binary: string, hostname: string) {
  const gpuUuids = await readGpuUuids(undefined, { binary })
  const device = resolveSlotDevice({ gpuUuids, hostname })
  return {
    device,
    semaphore: new SlotSemaphore(redis, { slots: 1, device: device.device, prefix }),
  }
}

/** A promise and its resolve (Node 20 has no Promise.withResolvers). */
function deferred() {
  let resolve: () => void = () => {}
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** Resolves once `count` callers arrived; each caller waits for all. */
function barrier(count: number) {
  let arrived = 0
  const open = deferred()
  return () => {
    arrived += 1
    if (arrived === count) open.resolve()
    return open.promise
  }
}

describe('readGpuUuids', () => {
  it('Should list the UUIDs the driver reports, honouring CUDA_VISIBLE_DEVICES', async () => {
    const binary = await driver('two', [`0, ${GPU_A}`, `1, ${GPU_B}`])
    expect(await readGpuUuids(undefined, { binary })).toEqual([GPU_A, GPU_B])
    expect(await readGpuUuids('1', { binary })).toEqual([GPU_B])
  })

  it('Should give none without nvidia-smi, or when it fails', async () => {
    const failing = join(dir, 'fail')
    await writeFile(failing, '#!/bin/sh\necho "NVIDIA-SMI has failed" >&2\nexit 9\n')
    await chmod(failing, 0o755)
    expect(await readGpuUuids(undefined, { binary: '/nonexistent/nvidia-smi' })).toEqual([])
    expect(await readGpuUuids(undefined, { binary: failing })).toEqual([])
  })
})

describe('GPU slots per device', () => {
  it('Should let workers on different GPUs hold a slot at once with GPU_SLOTS=1', async () => {
    const a = await worker(await driver('gpu-a', [`0, ${GPU_A}`]), 'gpu-worker-a')
    const b = await worker(await driver('gpu-b', [`0, ${GPU_B}`]), 'gpu-worker-b')
    expect([a.device, b.device]).toEqual([
      { device: GPU_A, source: 'gpu-uuid' },
      { device: GPU_B, source: 'gpu-uuid' },
    ])
    // Each work returns only once both hold their slot: sharing one slot would time out.
    const bothHeld = barrier(2)
    const holders = await Promise.all(
      [a, b].map((w) =>
        withGpuSlot(
          w.semaphore,
          async () => {
            await bothHeld()
            return w.semaphore.holders()
          },
          { waitTimeoutMs: 3000 },
        ),
      ),
    )
    expect(holders).toEqual([1, 1])
  })

  it('Should make workers on one GPU share its slots: the second waits for the first', async () => {
    const binary = await driver('shared', [`0, ${GPU_A}`])
    // Two pods time-sliced onto one GPU: other hostnames, one UUID.
    const first = await worker(binary, 'gpu-worker-1')
    const second = await worker(binary, 'gpu-worker-2')
    expect(second.semaphore.key).toBe(first.semaphore.key)

    const events: string[] = []
    const [started, release] = [deferred(), deferred()]
    const one = withGpuSlot(first.semaphore, async () => {
      events.push('first start')
      started.resolve()
      await release.promise
      events.push('first end')
    })
    await started.promise
    const two = withGpuSlot(
      second.semaphore,
      async () => {
        events.push('second start')
      },
      { waitTimeoutMs: 10_000 },
    )
    await new Promise((r) => setTimeout(r, 300))
    expect(events).toEqual(['first start'])
    release.resolve()
    await Promise.all([one, two])
    expect(events).toEqual(['first start', 'first end', 'second start'])
  })

  it('Should give CPU workers (no GPU, no GPU_DEVICE) slots of their own pod', async () => {
    const none = '/nonexistent/nvidia-smi'
    const a = await worker(none, 'gpu-worker-cpu-a')
    const b = await worker(none, 'gpu-worker-cpu-b')
    expect(a.device).toEqual({ device: 'gpu-worker-cpu-a', source: 'hostname' })
    expect(a.semaphore.key).not.toBe(b.semaphore.key)
  })
})
