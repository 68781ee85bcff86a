/**
 * @module
 * Mock-up throughput against the GPU slot limit, in one run. Two GPU worker
 * processes on one device: with `GPU_SLOTS=1` they take turns, with 2 they
 * run together. Then the slot key's device identity at `GPU_SLOTS=1`: "one
 * slot set" (every worker on device '0', what every pod got before slots were
 * keyed by device) against "per device" (each worker its own `GPU_DEVICE`, as
 * pods on different GPUs get from their GPU UUIDs). Submits `--jobs` mock-ups
 * through the queue for each, and reports wall time, images/s and the most
 * slots held at once across the workers (Redis sampled every 10 ms).
 *
 *   npx tsx scripts/benchmark_gpu_slots.ts [--jobs 8] [--steps 20] [--size 512x512] [--workers 2]
 */
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { createMockupRecords } from '../core/platform/mockups/index.ts'
import {
  type MockupJob,
  QUEUE_NAMES,
  QueueProducer,
  queueSettings,
} from '../core/platform/queue/index.ts'
import { closeRedis, createRedis } from '../core/platform/redis/index.ts'
import { parseSize } from '../gpu-worker/sd/cli/args.ts'
import { SlotSemaphore } from '../gpu-worker/slots/index.ts'
import { progress } from './bench/progress.ts'
import { sampleSlotPeak } from './bench/slot-peak.ts'
import { freePort, resolvePostgres, resolveRedis } from './dev/embedded/index.ts'
import { type RunningService, startService, stopAll, waitReady } from './dev-stack/supervisor.ts'

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '8' },
    steps: { type: 'string', default: '20' },
    size: { type: 'string', default: '512x512' },
    workers: { type: 'string', default: '2' },
  },
})
const jobs = Number(values.jobs)
const steps = Number(values.steps)
const workers = Number(values.workers)
const { width, height } = parseSize(values.size)
if (![jobs, steps, workers].every((n) => Number.isInteger(n) && n > 0)) {
  process.stderr.write(
    'usage: benchmark_gpu_slots.ts [--jobs N] [--steps N] [--size WxH] [--workers N]\n',
  )
  process.exit(2)
}

const DATA = resolve(import.meta.dirname, '../.data')
const SCHEMA = 'benchmark_gpu_slots'
const postgres = await resolvePostgres(process.env.DATABASE_URL, DATA)
const redis = await resolveRedis(process.env.REDIS_URL, DATA)
const pool = createPool({ url: postgres.url, schema: SCHEMA, size: 2, name: 'bench-gpu' })
await migrate(pool, { schema: SCHEMA })
const records = createMockupRecords(pool)
const db = new URL(postgres.url)
db.searchParams.set('options', `-c search_path=${SCHEMA}`)

const STORAGE = resolve(DATA, 'bench-mockups')

/** One measured setting. */
interface Result {
  seconds: number
  perSecond: number
  /** Most slots held at once, summed over every device's slot set. */
  peak: number
  failed: number
}

/** Deletes every key under `prefix:` (the queue's, the slot sets'). */
async function deleteKeys(redis: ReturnType<typeof createRedis>, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
    if (keys.length > 0) await redis.del(...keys)
    cursor = next
  } while (cursor !== '0')
}

/**
 * Runs `--jobs` mock-ups on `--workers` GPU worker processes with `slots` slots
 * each; worker i takes its slots on `device(i)` (`GPU_DEVICE`).
 */
async function measure(
  label: string,
  slots: number,
  device: (worker: number) => string,
): Promise<Result> {
  const prefix = `bench-gpu-${randomUUID().slice(0, 8)}`
  const services: RunningService[] = []
  const connection = createRedis(redis.url, { role: 'queue', name: 'bench-gpu' })
  const producer = new QueueProducer<MockupJob, unknown>(QUEUE_NAMES.mockups, {
    connection,
    settings: queueSettings({ prefix }),
  })
  // The workers' slot sets, as gpu-worker/main.ts keys them: for the sampler only.
  const devices = [...new Set(Array.from({ length: workers }, (_, i) => device(i)))]
  const semaphores = devices.map(
    (d) => new SlotSemaphore(connection, { slots, device: d, prefix: `${prefix}:gpu` }),
  )
  let sampler: ReturnType<typeof sampleSlotPeak> | undefined
  try {
    for (let i = 0; i < workers; i++) {
      const metricsPort = await freePort()
      services.push(
        startService(
          {
            name: `gpu-${i}`,
            entry: 'gpu-worker/main.ts',
            metricsPort,
            url: '',
            env: {
              DATABASE_URL: db.toString(),
              REDIS_URL: redis.url,
              QUEUE_PREFIX: prefix,
              GPU_SLOTS: String(slots),
              GPU_DEVICE: device(i),
              METRICS_PORT: String(metricsPort),
              MOCKUP_STORAGE_DIR: STORAGE,
              LOG_LEVEL: 'warn',
            },
          },
          (line) => process.stderr.write(`${line}\n`),
        ),
      )
    }
    await Promise.all(services.map((s) => waitReady(s)))
    const ids: string[] = []
    sampler = sampleSlotPeak(
      connection,
      semaphores.map((s) => s.key),
    )
    const started = performance.now()
    for (let i = 0; i < jobs; i++) {
      const job: MockupJob = {
        mockupId: randomUUID(),
        prompt: 'shirt design',
        product: 'shirt',
        seed: i,
        steps,
        width,
        height,
      }
      await records.insert({ id: job.mockupId, ...job, submittedBy: 'bench' })
      await producer.add('mockup', job, { jobId: job.mockupId })
      ids.push(job.mockupId)
    }
    const bar = progress(label, jobs)
    let failed = 0
    for (;;) {
      const states = await Promise.all(ids.map(async (id) => (await records.get(id))?.status))
      const done = states.filter((s) => s === 'completed' || s === 'failed').length
      failed = states.filter((s) => s === 'failed').length
      bar.tick(done)
      if (done === jobs) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const seconds = (performance.now() - started) / 1000
    bar.done()
    return { seconds, perSecond: jobs / seconds, peak: await sampler.stop(), failed }
  } finally {
    await sampler?.stop().catch(() => {})
    await stopAll(services)
    await producer.queue.obliterate({ force: true }).catch(() => {})
    await producer.close()
    await deleteKeys(connection, prefix).catch(() => {})
    await closeRedis(connection)
  }
}

/** `4.40 s, 1.81 mock-ups/s, peak 2 slots held` (and failures, if any). */
function describe(r: Result): string {
  const failed = r.failed > 0 ? `, ${r.failed} FAILED` : ''
  return `${r.seconds.toFixed(2)} s, ${r.perSecond.toFixed(2)} mock-ups/s, peak ${r.peak} slot${r.peak === 1 ? '' : 's'} held${failed}`
}

const SHARED = '0'
const perDevice = (i: number) => `bench-gpu-${i}`

try {
  // GPU_SLOTS=1 on one device is also case (a) below: the same setting, measured once.
  const one = await measure('GPU_SLOTS=1, one slot set', 1, () => SHARED)
  const two = await measure('GPU_SLOTS=2, one slot set', 2, () => SHARED)
  const split = await measure('GPU_SLOTS=1, per device', 1, perDevice)
  console.log(
    `${workers} GPU worker processes, ${jobs} mock-ups of ${width}x${height}, ${steps} steps (CPU provider)`,
  )
  console.log(`GPU_SLOTS=1: ${one.perSecond.toFixed(2)} mock-ups/s`)
  console.log(
    `GPU_SLOTS=2: ${two.perSecond.toFixed(2)} mock-ups/s (${(two.perSecond / one.perSecond).toFixed(2)}x)`,
  )
  console.log(`slot key by device, GPU_SLOTS=1, ${workers} workers:`)
  console.log(`  (a) one slot set (all on device '${SHARED}', before the fix): ${describe(one)}`)
  console.log(`  (b) per device (${perDevice(0)}..${perDevice(workers - 1)}): ${describe(split)}`)
  console.log(`  (b)/(a): ${(split.perSecond / one.perSecond).toFixed(2)}x mock-ups/s`)
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => {})
  await rm(STORAGE, { recursive: true, force: true })
  await pool.end()
  await redis.stop()
  await postgres.stop()
}
