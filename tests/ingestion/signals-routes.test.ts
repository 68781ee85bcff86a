/**
 * POST /signals and GET /signals/jobs/:id with no worker running: auth, the
 * per-item validation (nothing of a bad batch is queued), limits, and what a
 * queued job carries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUTH, createIngestionHarness, type IngestionHarness, signal } from './harness.ts'

let h: IngestionHarness
const queuedJobs = async () => {
  const counts = await h.queue.queue.getJobCounts()
  return Object.values(counts).reduce((a, b) => a + b, 0)
}

beforeAll(async () => {
  h = await createIngestionHarness('signal_routes')
})
afterAll(() => h.cleanup())

interface ErrorBody {
  error: { code: string; message: string; details?: { items: { index: number; field: string }[] } }
}

describe('POST /signals', () => {
  it('Should queue one job for the batch with normalised signals and answer 202', async () => {
    const before = await queuedJobs()
    const res = await h.postSignals([signal(1), signal(2, { id: 'client-2', product: null })])
    expect(res.status).toBe(202)
    const body = (await res.json()) as { jobId: string; count: number }
    expect(body.count).toBe(2)
    expect(await queuedJobs()).toBe(before + 1)
    const job = await h.queue.getJob(body.jobId)
    expect(job?.data.postedBy).toBe('tester')
    expect(job?.data.signals).toEqual([
      {
        topic: 'retro cats 1',
        product: 'mug',
        source: 'etsy',
        metric: 'sales',
        value: 1,
        observedAt: '2025-01-01T00:00:01.000Z',
      },
      {
        id: 'client-2',
        topic: 'retro cats 2',
        product: null,
        source: 'etsy',
        metric: 'sales',
        value: 2,
        observedAt: '2025-01-01T00:00:02.000Z',
      },
    ])
    const state = await h.app.request(`/signals/jobs/${body.jobId}`, { headers: AUTH })
    expect(await state.json()).toMatchObject({
      id: body.jobId,
      state: 'waiting',
      count: 2,
      attemptsMade: 0,
      maxAttempts: 5,
      failedReason: null,
    })
  })

  it('Should list every bad item by index and field, and queue nothing', async () => {
    const before = await queuedJobs()
    const res = await h.postSignals([
      signal(1),
      signal(2, { topic: '   ' }),
      signal(3, { product: 'hat' }),
      signal(4, { source: 'Bad Source' }),
      signal(5, { value: 'many' }),
      signal(6, { observedAt: new Date(Date.now() + 86_400_000).toISOString() }),
      signal(7, { observedAt: 'yesterday' }),
      signal(8, { metric: undefined }),
      42,
    ])
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorBody
    expect(body.error.code).toBe('invalid_signals')
    expect(body.error.details?.items.map((i) => [i.index, i.field])).toEqual([
      [1, 'topic'],
      [2, 'product'],
      [3, 'source'],
      [4, 'value'],
      [5, 'observedAt'],
      [6, 'observedAt'],
      [7, 'metric'],
      [8, '(item)'],
    ])
    expect(await queuedJobs()).toBe(before)
  })

  it('Should refuse what the database could not store, naming the field (issue #21)', async () => {
    const before = await queuedJobs()
    const res = await h.postSignals([
      signal(1),
      signal(2, { observedAt: '0000-01-01T00:00:00Z' }),
      signal(3, { value: 1e308 }),
      signal(4, { observedAt: '1999-12-31T23:59:59Z' }),
      signal(5, { value: -1e13 }),
    ])
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorBody & { error: { details: { field: string } } }
    expect(body.error.details.field).toBe('signals.1.observedAt')
    expect(body.error.details?.items.map((i) => [i.index, i.field])).toEqual([
      [1, 'observedAt'],
      [2, 'value'],
      [3, 'observedAt'],
      [4, 'value'],
    ])
    expect(await queuedJobs()).toBe(before)
  })

  it('Should answer 413 over 1,000 signals or a body over the limit, queueing nothing', async () => {
    const before = await queuedJobs()
    const many = Array.from({ length: 1001 }, (_, i) => signal(i))
    const tooMany = await h.postSignals(many)
    expect(tooMany.status).toBe(413)
    expect(((await tooMany.json()) as ErrorBody).error.code).toBe('too_many_signals')
    const huge = await h.postSignals([signal(1, { padding: 'x'.repeat(2 * 1024 * 1024) })])
    expect(huge.status).toBe(413)
    expect(await queuedJobs()).toBe(before)
  })

  it('Should answer 400 to a body that is not a batch', async () => {
    for (const body of ['{"signals": [', '{"signals": []}', '[1, 2]']) {
      const res = await h.app.request('/signals', {
        method: 'POST',
        headers: { ...AUTH, 'Content-Type': 'application/json' },
        body,
      })
      expect(res.status).toBe(400)
    }
  })

  it('Should answer 401 without a key or with a wrong one', async () => {
    const before = await queuedJobs()
    expect((await h.postSignals([signal(1)], {})).status).toBe(401)
    const wrong = await h.postSignals([signal(1)], { Authorization: 'Bearer not-the-right-key' })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('WWW-Authenticate')).toContain('Bearer')
    expect((await h.app.request('/signals/jobs/1')).status).toBe(401)
    expect(await queuedJobs()).toBe(before)
  })
})

describe('GET /signals/jobs/:id', () => {
  it('Should answer 404 for an unknown job and 400 for a malformed id', async () => {
    expect((await h.app.request('/signals/jobs/999999', { headers: AUTH })).status).toBe(404)
    expect((await h.app.request('/signals/jobs/a%20b', { headers: AUTH })).status).toBe(400)
  })
})
