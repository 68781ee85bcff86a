/**
 * Signal to queue to table with an in-process worker: rows land once, a
 * re-posted batch and a retried job add nothing, and a job that fails stays
 * inspectable with its error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StartedWorker } from '../../core/platform/queue/index.ts'
import { waitFor } from '../support/wait.ts'
import {
  AUTH,
  completedJob,
  createIngestionHarness,
  type IngestionHarness,
  signal,
  startHarnessWorker,
} from './harness.ts'

let h: IngestionHarness
let worker: StartedWorker<unknown, unknown>

beforeAll(async () => {
  h = await createIngestionHarness('signal_flow')
  worker = startHarnessWorker(h, 2)
})
afterAll(async () => {
  await worker.close()
  await h.cleanup()
})

interface JobReport {
  state: string
  attemptsMade: number
  failedReason: string | null
  returnvalue: { received: number; inserted: number } | null
}

/** POSTs a batch and waits until its job finished; returns the job report. */
async function ingest(signals: unknown[]): Promise<{ jobId: string; report: JobReport }> {
  const res = await h.postSignals(signals)
  expect(res.status).toBe(202)
  const { jobId } = (await res.json()) as { jobId: string }
  return { jobId, report: await finished(jobId) }
}

async function finished(jobId: string): Promise<JobReport> {
  return waitFor(async () => {
    const res = await h.app.request(`/signals/jobs/${jobId}`, { headers: AUTH })
    const report = (await res.json()) as JobReport
    return ['completed', 'failed'].includes(report.state) ? report : undefined
  }, `job ${jobId} to finish`)
}

describe('signal ingestion end to end', () => {
  it('Should write a posted batch to the signals table', async () => {
    const batch = Array.from({ length: 300 }, (_, i) => signal(i))
    const { report } = await ingest(batch)
    expect(report).toMatchObject({
      state: 'completed',
      returnvalue: { received: 300, inserted: 300 },
    })
    expect(await h.countRows()).toBe(300)
    const { rows } = await h.pool.query<{ topic: string; n: string }>(
      "SELECT topic, count(*) AS n FROM signals WHERE topic LIKE 'retro cats %' GROUP BY topic ORDER BY topic",
    )
    expect(rows.map((r) => r.topic)).toEqual(Array.from({ length: 7 }, (_, i) => `retro cats ${i}`))
  })

  it('Should add nothing when the same batch is posted again, with or without client ids', async () => {
    const before = await h.countRows()
    const withIds = Array.from({ length: 50 }, (_, i) => signal(1000 + i, { id: `c-${i}` }))
    expect((await ingest(withIds)).report.returnvalue).toEqual({ received: 50, inserted: 50 })
    // Same ids, different values: the client id alone identifies a signal.
    const again = withIds.map((s) => ({ ...s, value: 0 }))
    expect((await ingest(again)).report.returnvalue).toEqual({ received: 50, inserted: 0 })
    const hashed = Array.from({ length: 50 }, (_, i) => signal(2000 + i))
    await ingest(hashed)
    // Same fields spelled differently (time zone offset, topic case): same hash.
    const respelled = hashed.map((s) => ({
      ...s,
      topic: String(s.topic).toUpperCase(),
      observedAt: String(s.observedAt).replace('Z', '+00:00'),
    }))
    expect((await ingest(respelled)).report.returnvalue).toEqual({ received: 50, inserted: 0 })
    expect(await h.countRows()).toBe(before + 100)
  })

  it('Should add nothing when a finished job runs again', async () => {
    const { jobId } = await ingest(Array.from({ length: 20 }, (_, i) => signal(3000 + i)))
    const before = await h.countRows()
    const job = await h.queue.getJob(jobId)
    await job?.retry('completed')
    const rerun = await completedJob(h.queue, jobId)
    expect(rerun.returnvalue).toEqual({ received: 20, inserted: 0 })
    expect(await h.countRows()).toBe(before)
  })

  it('Should keep a job that cannot succeed inspectable as failed, with its error', async () => {
    // A payload no producer of ours writes: the worker refuses it without retrying.
    const job = await h.queue.add('batch', {
      signals: [],
      // The reader's key: another tenant's job would be a 404.
      postedBy: 'tester',
      acceptedAt: new Date().toISOString(),
    })
    const report = await finished(job.id as string)
    expect(report.state).toBe('failed')
    expect(report.attemptsMade).toBe(1)
    expect(report.failedReason).toMatch(/invalid signal-ingestion payload/)
  })
})
