/**
 * Rows the database refuses although they passed validation (issue #21): the
 * worker writes the good rows of the batch, keeps each refused one in
 * `rejected_signals` with its SQLSTATE and a fixed reason, and completes the
 * job; `GET /signals/rejected` lists them, newest first. Errors that are not
 * the data's (a missing table here) are rethrown and never shown raw.
 */
import type { Job } from 'bullmq'
import { describe, expect, it } from 'vitest'
import { createSignalProcessor } from '../../core/ingestion/index.ts'
import { createPool } from '../../core/platform/db/index.ts'
import { DATA_ERROR_REASONS } from '../../core/signals/index.ts'
import type {
  QueuedSignal,
  SignalIngestionJob,
  SignalIngestionResult,
} from '../../edge/contracts/signals.ts'
import { createTestSchema } from '../support/db.ts'
import { AUTH, completedJob, useWorkerHarness } from './harness.ts'

const t = useWorkerHarness('rejected_signals')

/** A queued signal as core writes it; `n` makes it unique. */
function queued(n: number, extra: Partial<QueuedSignal> = {}): QueuedSignal {
  const observedAt = new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString()
  return {
    topic: 'isolation',
    product: null,
    source: 'etsy',
    metric: 'sales',
    value: n,
    observedAt,
    ...extra,
  }
}

/** Adds a crafted job, as no validated POST could, and waits until it completed. */
async function ingestCrafted(signals: QueuedSignal[]) {
  const job = await t.h.queue.add('batch', {
    signals,
    postedBy: 'tester',
    acceptedAt: new Date().toISOString(),
  })
  return completedJob(t.h.queue, job.id as string)
}

interface RejectedPage {
  items: { id: number; jobId: string; signal: QueuedSignal; sqlstate: string; reason: string }[]
  next: number | null
}

async function listRejected(query = ''): Promise<RejectedPage> {
  const res = await t.h.app.request(`/signals/rejected${query}`, { headers: AUTH })
  expect(res.status).toBe(200)
  return (await res.json()) as RejectedPage
}

describe('rows the database refuses', () => {
  it('Should write the good rows, keep the refused ones with their reason, and complete', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => queued(i))
    // Not normalised: the CHECK refuses it (23514). Year 0: PostgreSQL refuses the time (22008).
    batch[417] = queued(417, { topic: 'Not Normalised' })
    batch[900] = queued(900, { observedAt: '0000-01-01T00:00:00Z' })
    const job = await ingestCrafted(batch)

    expect(job.returnvalue).toEqual({ received: 1000, inserted: 998, rejected: 2 })
    expect(await t.h.countRows()).toBe(998)
    const page = await listRejected()
    expect(page.next).toBeNull()
    // Newest first: recorded in batch order, so the later row comes first.
    expect(page.items.map((i) => [i.jobId, i.signal.value, i.sqlstate, i.reason])).toEqual([
      [job.id, 900, '22008', DATA_ERROR_REASONS['22']],
      [job.id, 417, '23514', DATA_ERROR_REASONS['23']],
    ])
    expect(page.items[1]?.signal.topic).toBe('Not Normalised')

    const report = await t.h.app.request(`/signals/jobs/${job.id}`, { headers: AUTH })
    expect(await report.json()).toMatchObject({ state: 'completed', failedReason: null })
  })

  it('Should record each refusal once when a finished job runs again', async () => {
    const first = await listRejected()
    const job = await ingestCrafted([queued(5000), queued(5001, { topic: ' Padded' })])
    await (await t.h.queue.getJob(job.id as string))?.retry('completed')
    const rerun = await completedJob(t.h.queue, job.id as string)
    expect(rerun.returnvalue).toEqual({ received: 2, inserted: 0, rejected: 1 })
    expect((await listRejected()).items).toHaveLength(first.items.length + 1)
  })

  it('Should page newest first with limit and before, and need a key', async () => {
    const all = await listRejected()
    const one = await listRejected('?limit=1')
    expect(one.items.map((i) => i.id)).toEqual([all.items[0]?.id])
    expect(one.next).toBe(all.items[0]?.id)
    const rest = await listRejected(`?limit=100&before=${one.next}`)
    expect(rest.items.map((i) => i.id)).toEqual(all.items.slice(1).map((i) => i.id))
    expect((await t.h.app.request('/signals/rejected')).status).toBe(401)
    const bad = await t.h.app.request('/signals/rejected?limit=0', { headers: AUTH })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { details: { field: 'limit' } } })
  })

  it('Should rethrow an error that is not the data unchanged', async () => {
    // A schema without the tables: 42P01, the system's fault, not the rows'.
    const empty = await createTestSchema('rejected_empty')
    const pool = createPool({
      url: empty.url,
      schema: empty.schema,
      size: 1,
      name: 'rejected_empty',
    })
    try {
      const process = createSignalProcessor({ db: pool })
      // Only the id and data a processor reads: a BullMQ Job needs a live queue.
      const data = { signals: [queued(1)], postedBy: 't', acceptedAt: new Date().toISOString() }
      const job = { id: 'x', data } as unknown as Job<SignalIngestionJob, SignalIngestionResult>
      await expect(process(job)).rejects.toMatchObject({ code: '42P01' })
    } finally {
      await pool.end()
      await empty.drop()
    }
  })
})
