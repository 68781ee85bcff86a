/**
 * @module
 * `withGpuSlot()`, the seed's `tasks.gpu_slot` context manager: waits for a
 * free slot, keeps its lease alive while the work runs, and releases it on
 * every path (success, error, abort). It keeps `gpu_slots_in_use`,
 * `gpu_slot_acquire_total` and `gpu_slot_wait_seconds`.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { SlotLease, SlotSemaphore } from './semaphore.ts'

/** The slot metrics of a process. */
export interface GpuSlotMetrics {
  inUse: Gauge
  acquired: Counter
  wait: Histogram
}

/** Registers the slot metrics on `registry`. */
export function createGpuSlotMetrics(registry: Registry): GpuSlotMetrics {
  return {
    inUse: new Gauge({
      name: 'gpu_slots_in_use',
      help: 'GPU slots this process holds',
      registers: [registry],
    }),
    acquired: new Counter({
      name: 'gpu_slot_acquire_total',
      help: 'GPU slots obtained',
      registers: [registry],
    }),
    wait: new Histogram({
      name: 'gpu_slot_wait_seconds',
      help: 'Time spent waiting for a GPU slot',
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
  }
}

/** Thrown when no slot freed up within the wait limit. */
export class SlotWaitTimeoutError extends Error {
  override readonly name = 'SlotWaitTimeoutError'
}

/** Thrown into the work's signal when its lease could not be renewed. */
export class SlotLostError extends Error {
  override readonly name = 'SlotLostError'
}

/** Options of {@link withGpuSlot}. */
export interface GpuSlotOptions {
  metrics?: GpuSlotMetrics
  /** Give up waiting after this long. @defaultValue 10 minutes */
  waitTimeoutMs?: number
  /** Stops waiting (the caller is shutting down, say). */
  signal?: AbortSignal
  /** Told when a lease renewal fails. */
  onLeaseLost?: (err: unknown) => void
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })

async function acquire(semaphore: SlotSemaphore, options: GpuSlotOptions): Promise<SlotLease> {
  const deadline = Date.now() + (options.waitTimeoutMs ?? 600_000)
  let pause = 25
  for (;;) {
    options.signal?.throwIfAborted()
    const lease = await semaphore.tryAcquire()
    if (lease) return lease
    if (Date.now() >= deadline)
      throw new SlotWaitTimeoutError(`no GPU slot freed within ${options.waitTimeoutMs} ms`)
    // Jittered back-off so waiting workers do not poll in lockstep.
    await sleep(pause * (0.5 + Math.random()), options.signal)
    pause = Math.min(pause * 2, 250)
  }
}

/**
 * Runs `work` holding one slot of `semaphore`. The work receives a signal
 * that aborts with {@link SlotLostError} if the lease is lost (Redis gone
 * longer than the lease), so it can stop rather than oversubscribe the GPU.
 *
 * @example
 * const image = await withGpuSlot(semaphore, (signal) => pipe.generate({ prompt, seed, signal }))
 */
export async function withGpuSlot<T>(
  semaphore: SlotSemaphore,
  work: (signal: AbortSignal) => Promise<T>,
  options: GpuSlotOptions = {},
): Promise<T> {
  const started = performance.now()
  const lease = await acquire(semaphore, options)
  options.metrics?.wait.observe((performance.now() - started) / 1000)
  options.metrics?.acquired.inc()
  options.metrics?.inUse.inc()
  const lost = new AbortController()
  const renewal = setInterval(() => {
    lease
      .renew()
      .then((held) => {
        if (!held) throw new SlotLostError('the GPU slot lease expired before it was renewed')
      })
      .catch((err: unknown) => {
        options.onLeaseLost?.(err)
        if (err instanceof SlotLostError) lost.abort(err)
      })
  }, semaphore.leaseMs / 3)
  try {
    return await work(lost.signal)
  } finally {
    clearInterval(renewal)
    options.metrics?.inUse.dec()
    // A failed release only means the lease will expire by itself.
    await lease.release().catch((err: unknown) => options.onLeaseLost?.(err))
  }
}
