/**
 * The mock-up reconciler and the processor's end of it, on the real servers:
 * a queued row whose job vanished is re-queued by the scheduled reconciler and
 * generated; one lost twice, or lost while running, is failed with
 * `job_lost`; a row no longer runnable is never generated; and a failure from
 * a database error shows clients only its code and fixed message.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Job, Queue, Worker } from 'bullmq'
import type pg from 'pg'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import {
  MOCKUP_RECONCILE_QUEUE,
  startMockupReconciler,
} from '../../core/mockups/reconcile-scheduler.ts'
import { reconcileMockups } from '../../core/mockups/reconciler.ts'
import { mockupRoutes } from '../../core/mockups/routes.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import type { Logger } from '../../core/platform/logger.ts'
import { createMockupRecords, type MockupRecords } from '../../core/platform/mockups/index.ts'
import {
  type MockupJob,
  QUEUE_NAMES,
  QueueProducer,
  queueSettings,
} from '../../core/platform/queue/index.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { createFsMockupStorage } from '../../core/platform/storage/index.ts'
import { parseApiKeys } from '../../edge/auth/index.ts'
import { MOCKUP_FAILURES } from '../../edge/contracts/mockups.ts'
import { loadSdPipeline, type SdPipeline, writeTinySdModelSet } from '../../gpu-worker/sd/index.ts'
import { SlotSemaphore } from '../../gpu-worker/slots/index.ts'
import {
  type MockupProcessorDeps,
  mockupProcessor,
  recordFinalFailure,
} from '../../gpu-worker/worker/processor.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'
import { memoryLogger } from '../support/logs.ts'
import { waitFor } from '../support/wait.ts'

const SECRET = 'reconciler-test-secret-01'
const prefix = `test-reconcile-${Math.random().toString(36).slice(2, 8)}`
const settings = queueSettings({ prefix, attempts: 1 })
const connection = createRedis(testRedisUrl(), { role: 'queue', name: 'reconciler-test' })
const logger = memoryLogger()
let schema: TestSchema
let pool: pg.Pool
let dir: string
let records: MockupRecords
let producer: QueueProducer<MockupJob, unknown>
let deps: MockupProcessorDeps

// The real pipeline on the tiny model set, watched: a test checks it is not called.
let pipeline: SdPipeline
const generate = vi.fn<SdPipeline['generate']>((options) => pipeline.generate(options))

/** What every test mock-up asks for. */
const PARAMS = {
  prompt: 'shirt design',
  product: 'mug',
  seed: 7,
  steps: 2,
  width: 64,
  height: 64,
} as const

const jobOf = (id: string): MockupJob => ({ ...PARAMS, mockupId: id })

/** A row as POST /mockups stores it, `ageMs` old, with no job. */
async function row(ageMs: number): Promise<string> {
  const id = crypto.randomUUID()
  await records.insert({ ...PARAMS, id, submittedBy: 'test' })
  await pool.query(`UPDATE mockups SET created_at = now() - $2 * interval '1 ms' WHERE id = $1`, [
    id,
    ageMs,
  ])
  return id
}

const view = async (id: string) => {
  const app = createCoreApp({
    logger: memoryLogger(),
    observe: () => {},
    apiKeys: parseApiKeys(`test:${SECRET}`),
    routes: [mockupRoutes({ records, queue: producer, storage: deps.storage })],
  })
  const res = await app.request(`/mockups/${id}`, {
    headers: { Authorization: `Bearer ${SECRET}` },
  })
  return { status: res.status, text: await res.text() }
}

const passDeps = () => ({
  records,
  queue: producer,
  logger,
  policy: { graceMs: 60_000, maxRequeues: 1 },
})

beforeAll(async () => {
  schema = await createTestSchema('reconciler')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 4, name: 'reconciler_test' })
  await migrate(pool, { schema: schema.schema })
  dir = await mkdtemp(join(tmpdir(), 'reconciler-'))
  await writeTinySdModelSet(join(dir, 'model'), { seed: 3 })
  pipeline = await loadSdPipeline(join(dir, 'model'))
  records = createMockupRecords(pool)
  producer = new QueueProducer(QUEUE_NAMES.mockups, { connection, settings })
  deps = {
    pipeline: { generate, providers: pipeline.providers },
    semaphore: new SlotSemaphore(connection, { slots: 1, prefix: `${prefix}:gpu` }),
    records,
    storage: createFsMockupStorage({ root: dir }),
    logger: logger as unknown as Logger,
  }
})

afterAll(async () => {
  await pipeline?.release()
  const reconcile = new Queue(MOCKUP_RECONCILE_QUEUE, { connection, prefix })
  for (const queue of [producer.queue, reconcile])
    await queue.obliterate({ force: true }).catch(() => {})
  await Promise.all([
    reconcile.close(),
    producer.close(),
    rm(dir, { recursive: true, force: true }),
  ])
  connection.disconnect()
  await pool.end()
  await schema.drop()
})

describe('mock-up reconciler', () => {
  it('Should re-queue a queued row whose job vanished, once, and the job then completes', async () => {
    const id = await row(300_000)
    const registry = new Registry()
    const worker = new Worker<MockupJob>(QUEUE_NAMES.mockups, mockupProcessor(deps), {
      connection: createRedis(testRedisUrl(), { role: 'queue', name: 'reconciler-worker' }),
      prefix,
    })
    const reconciler = startMockupReconciler({
      redisUrl: testRedisUrl(),
      connection,
      settings,
      logger: logger as unknown as Logger,
      registry,
      records,
      queue: producer,
      intervalMs: 1000,
      graceMs: 60_000,
    })
    try {
      const done = await waitFor(async () => {
        const m = await records.get(id)
        return m?.status === 'completed' ? m : undefined
      }, 'the re-queued mock-up to complete')
      expect(done).toMatchObject({ seed: 7, steps: 2, attempts: 1, error: null })
      const { rows } = await pool.query('SELECT requeues FROM mockups WHERE id = $1', [id])
      expect(rows[0]).toEqual({ requeues: 1 })
      expect(await registry.getSingleMetricAsString('mockup_reconciled_total')).toContain(
        'mockup_reconciled_total{action="requeued"} 1',
      )
      expect(logger.lines).toContainEqual(
        expect.objectContaining({
          obj: expect.objectContaining({ mockupId: id, jobState: 'unknown' }),
        }),
      )
    } finally {
      await reconciler.close()
      await worker.close()
      await worker.disconnect()
    }
  })

  it('Should fail a row lost again, or lost while running, with job_lost; young rows wait', async () => {
    const requeued = await row(300_000)
    await pool.query('UPDATE mockups SET requeues = 1 WHERE id = $1', [requeued])
    const running = await row(300_000)
    await records.markRunning(running)
    await pool.query(`UPDATE mockups SET started_at = now() - interval '5 minutes' WHERE id = $1`, [
      running,
    ])
    const young = await row(1000)
    expect(await reconcileMockups(passDeps())).toEqual({ requeued: 0, failed: 2 })
    for (const id of [requeued, running]) {
      expect(await records.get(id)).toMatchObject({ status: 'failed', error: 'job_lost' })
      const answer = await view(id)
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.text)).toMatchObject({
        errorCode: 'job_lost',
        error: MOCKUP_FAILURES.job_lost,
      })
    }
    expect(await records.get(young)).toMatchObject({ status: 'queued' })
  })

  it('Should re-queue a row whose job finished under its id (the old job removed first)', async () => {
    const id = await row(300_000)
    await producer.add('mockup', jobOf(id), { jobId: id })
    // Manual processing: the job completes without running, the row stays queued.
    const worker = new Worker<MockupJob>(QUEUE_NAMES.mockups, null, {
      connection: createRedis(testRedisUrl(), { role: 'queue', name: 'reconciler-manual' }),
      prefix,
    })
    try {
      const job = await worker.getNextJob('token')
      expect(job?.id).toBe(id)
      await job?.moveToCompleted('lost', 'token', false)
    } finally {
      await worker.close()
      await worker.disconnect()
    }
    expect(await producer.getJobState(id)).toBe('completed')
    expect(await reconcileMockups(passDeps())).toEqual({ requeued: 1, failed: 0 })
    expect(await producer.getJobState(id)).toBe('waiting')
    await producer.queue.remove(id)
  })
})

describe('processor and row state', () => {
  it('Should not generate a mock-up whose row is no longer runnable', async () => {
    const id = await row(0)
    await records.markFailed(id, 'job_lost')
    const job = (await producer.add('mockup', jobOf(id), { jobId: id })) as Job<MockupJob>
    generate.mockClear()
    await expect(mockupProcessor(deps)(job)).resolves.toEqual({
      mockupId: id,
      skipped: 'not_runnable',
    })
    expect(generate).not.toHaveBeenCalled()
    expect(await records.get(id)).toMatchObject({ status: 'failed', error: 'job_lost' })
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ msg: 'mock-up not runnable: skipped' }),
    )
  })

  it('Should show only a code and fixed message when a database error failed the job', async () => {
    const id = await row(0)
    const job = (await producer.add('mockup', jobOf(id), { jobId: id })) as Job<MockupJob>
    const broken: MockupRecords = {
      ...records,
      markCompleted: async () => {
        await pool.query('SELECT * FROM no_such_table')
      },
    }
    const err = await mockupProcessor({ ...deps, records: broken })(job).catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toContain('no_such_table')
    job.attemptsMade = 1
    await recordFinalFailure(records, job, err as Error)
    const answer = await view(id)
    expect(JSON.parse(answer.text)).toMatchObject({
      status: 'failed',
      errorCode: 'generation_failed',
      error: MOCKUP_FAILURES.generation_failed,
    })
    expect(answer.text).not.toContain('no_such_table')
  })
})
