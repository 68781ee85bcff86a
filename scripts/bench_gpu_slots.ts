/**
 * @module
 * Mock-up throughput against the GPU slot limit: two GPU worker processes
 * share one device; with `GPU_SLOTS=1` they take turns, with 2 they run
 * together. Submits `--jobs` mock-ups through the queue for each setting and
 * reports images/s, in one run.
 *
 *   npx tsx scripts/bench_gpu_slots.ts [--jobs 8] [--steps 20] [--size 512x512] [--workers 2]
 */
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { freePort, resolvePostgres, resolveRedis } from '../core/platform/embedded/index.ts'
import { createMockupRecords } from '../core/platform/mockups/index.ts'
import {
  type MockupJob,
  QUEUE_NAMES,
  QueueProducer,
  queueSettings,
} from '../core/platform/queue/index.ts'
import { closeRedis, createRedis } from '../core/platform/redis/index.ts'
import { parseSize } from '../gpu-worker/sd/cli/args.ts'
import { progress } from './bench/progress.ts'
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
    'usage: bench_gpu_slots.ts [--jobs N] [--steps N] [--size WxH] [--workers N]\n',
  )
  process.exit(2)
}

const DATA = resolve(import.meta.dirname, '../.data')
const SCHEMA = 'bench_gpu_slots'
const postgres = await resolvePostgres(process.env.DATABASE_URL, DATA)
const redis = await resolveRedis(process.env.REDIS_URL, DATA)
const pool = createPool({ url: postgres.url, schema: SCHEMA, size: 2, name: 'bench-gpu' })
await migrate(pool, { schema: SCHEMA })
const records = createMockupRecords(pool)
const db = new URL(postgres.url)
db.searchParams.set('options', `-c search_path=${SCHEMA}`)

async function measure(slots: number): Promise<number> {
  const prefix = `bench-gpu-${randomUUID().slice(0, 8)}`
  const services: RunningService[] = []
  const connection = createRedis(redis.url, { role: 'queue', name: 'bench-gpu' })
  const producer = new QueueProducer<MockupJob, unknown>(QUEUE_NAMES.mockups, {
    connection,
    settings: queueSettings({ prefix }),
  })
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
              METRICS_PORT: String(metricsPort),
              MOCKUP_STORAGE_DIR: resolve(DATA, 'bench-mockups'),
              LOG_LEVEL: 'warn',
            },
          },
          (line) => process.stderr.write(`${line}\n`),
        ),
      )
    }
    await Promise.all(services.map((s) => waitReady(s)))
    const ids: string[] = []
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
    const bar = progress(`GPU_SLOTS=${slots}`, jobs)
    for (;;) {
      const states = await Promise.all(ids.map(async (id) => (await records.get(id))?.status))
      const done = states.filter((s) => s === 'completed' || s === 'failed').length
      bar.tick(done)
      if (done === jobs) break
      await new Promise((r) => setTimeout(r, 100))
    }
    bar.done()
    return jobs / ((performance.now() - started) / 1000)
  } finally {
    await stopAll(services)
    await producer.queue.obliterate({ force: true }).catch(() => {})
    await producer.close()
    await closeRedis(connection)
  }
}

try {
  const one = await measure(1)
  const two = await measure(2)
  console.log(
    `${workers} GPU worker processes, ${jobs} mock-ups of ${width}x${height}, ${steps} steps (CPU provider)`,
  )
  console.log(`GPU_SLOTS=1: ${one.toFixed(2)} mock-ups/s`)
  console.log(`GPU_SLOTS=2: ${two.toFixed(2)} mock-ups/s (${(two / one).toFixed(2)}x)`)
} finally {
  await pool.end()
  await redis.stop()
  await postgres.stop()
}
