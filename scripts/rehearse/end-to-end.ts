/**
 * @module
 * The rehearsal's end-to-end checks through the running containers: a
 * signal posted to core reaches its row (through the queue and the
 * ingestion worker), and mock-ups made by two GPU worker replicas at once
 * are served by core from the shared image volume.
 */
import type { Redis } from 'ioredis'
import { resolveSlotDevice } from '../../gpu-worker/slots/device-identity.ts'
import { SlotSemaphore } from '../../gpu-worker/slots/index.ts'
import { sampleSlotPeak } from '../bench/slot-peak.ts'
import type { Checklist } from './checks.ts'
import type { PlacedContainer } from './placement.ts'
import { readMetrics } from './pod-checks.ts'
import type { Scratch } from './scratch.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function poll<T>(
  what: string,
  withinMs: number,
  attempt: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = performance.now() + withinMs
  while (performance.now() < deadline) {
    const value = await attempt()
    if (value !== undefined) return value
    await sleep(1000)
  }
  throw new Error(`${what}: not within ${withinMs / 1000} s`)
}

async function postJson(url: string, apiKey: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })
  const json = (await res.json()) as Record<string, unknown>
  if (res.status !== 202)
    throw new Error(`POST ${new URL(url).pathname}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

/** POST /signals answers 202 and the signal's row appears in the run's schema. */
export async function signalReachesRow(
  checks: Checklist,
  ctx: { coreUrl: string; apiKey: string; scratch: Scratch; runId: string },
): Promise<void> {
  const topic = `rehearsal ${ctx.runId}`
  await checks.check('a signal posted to core reaches its row', async () => {
    const started = performance.now()
    const signal = {
      topic,
      source: 'pinterest',
      metric: 'saves',
      value: 42,
      observedAt: new Date().toISOString(),
    }
    await postJson(`${ctx.coreUrl}/signals`, ctx.apiKey, { signals: [signal] })
    await poll('the row', 60_000, async () =>
      (await ctx.scratch.signalCount(topic)) > 0 ? true : undefined,
    )
    return `202, then the row in ${((performance.now() - started) / 1000).toFixed(1)} s`
  })
}

interface MockupView {
  status: string
  startedAt: string | null
  finishedAt: string | null
  images: { png: string } | null
  error: string | null
}

/**
 * Submits a few mock-ups at once; each completes, core serves its PNG from
 * the shared volume, both GPU workers take jobs, and their runs overlap
 * (each worker's slots are its own device's).
 */
export async function mockupsAcrossWorkers(
  checks: Checklist,
  ctx: {
    coreUrl: string
    apiKey: string
    gpuWorkers: readonly PlacedContainer[]
    /** Workers that must take no job (not ready). */
    idleWorkers: readonly PlacedContainer[]
    redis: Redis
  },
): Promise<void> {
  // Each worker's slot set, keyed as gpu-worker/main.ts keys it (no GPU here:
  // GPU_DEVICE, else the pod's hostname), sampled while the mock-ups run.
  const slotKeys = new Set(
    ctx.gpuWorkers.map((w) => {
      const { device } = resolveSlotDevice({
        gpuUuids: [],
        explicit: w.plan.env.GPU_DEVICE || undefined,
        hostname: w.placement.hostname,
      })
      return new SlotSemaphore(ctx.redis, {
        slots: 1,
        device,
        prefix: `${w.plan.env.QUEUE_PREFIX}:gpu`,
      }).key
    }),
  )
  const sampler = sampleSlotPeak(ctx.redis, [...slotKeys])
  const count = Math.max(4, ctx.gpuWorkers.length * 3)
  let views: MockupView[] = []
  const completed = await checks.check(`${count} mock-ups submitted at once complete`, async () => {
    const ids = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const body = { prompt: `rehearsal shirt ${i}`, product: 'shirt', steps: 20 }
        return String((await postJson(`${ctx.coreUrl}/mockups`, ctx.apiKey, body)).id)
      }),
    )
    views = await Promise.all(
      ids.map((id) =>
        poll(`mock-up ${id}`, 180_000, async () => {
          const res = await fetch(`${ctx.coreUrl}/mockups/${id}`, {
            headers: { authorization: `Bearer ${ctx.apiKey}` },
          })
          const view = (await res.json()) as MockupView
          if (view.status === 'failed') throw new Error(`mock-up ${id} failed: ${view.error}`)
          return view.status === 'completed' ? view : undefined
        }),
      ),
    )
    return `${views.length} completed`
  })
  const peak = await sampler.stop()
  if (!completed) return
  await checks.check('core serves each image a GPU worker wrote (shared volume)', async () => {
    for (const view of views) {
      const res = await fetch(`${ctx.coreUrl}${view.images?.png}`)
      const bytes = new Uint8Array(await res.arrayBuffer())
      const png = bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47
      if (res.status !== 200 || !png)
        throw new Error(`${view.images?.png}: ${res.status}, ${png ? 'PNG' : 'not a PNG'}`)
    }
    return `${views.length} PNGs`
  })
  const made = async (w: PlacedContainer) => {
    const family = (await readMetrics(w)).get('gpu_slot_acquire_total')
    return family?.samples.reduce((sum, s) => sum + s.value, 0) ?? 0
  }
  await checks.check('both GPU worker replicas made mock-ups', async () => {
    const counts = await Promise.all(ctx.gpuWorkers.map(made))
    const line = ctx.gpuWorkers.map((w, i) => `${w.label} ${counts[i]}`).join(', ')
    if (counts.includes(0)) throw new Error(line)
    return line
  })
  for (const w of ctx.idleWorkers) {
    await checks.check(`${w.label}: took no mock-up while not ready`, async () => {
      const n = await made(w)
      if (n > 0) throw new Error(`made ${n}`)
      return undefined
    })
  }
  await checks.check('the two GPU workers held GPU slots at once (slots per device)', () => {
    const sets = `${slotKeys.size} slot set${slotKeys.size === 1 ? '' : 's'}`
    if (peak < 2) throw new Error(`at most ${peak} slot held at a time (${sets}, GPU_SLOTS=1)`)
    return `up to ${peak} slots held at once (${sets}, GPU_SLOTS=1)`
  })
}
