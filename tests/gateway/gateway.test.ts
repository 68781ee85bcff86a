/**
 * The tRPC gateway with a real `@trpc/client` against the edge app on a Node
 * server, core on another, PostgreSQL and Redis real: ETags on queries
 * (single and batched), 304s with no body, the validator cache of score.get,
 * what never gets a tag, cache policies, auth, limits, and core's errors.
 */
import { TRPCClientError } from '@trpc/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CoreRoutes } from '../../core/http/app.ts'
import type { MockupView } from '../../edge/contracts/mockups.ts'
import { type AppRouter, contentTag, scoreGetBody } from '../../edge/gateway/index.ts'
import { freePort } from '../../scripts/dev/embedded/index.ts'
import { AUTH, type GatewayStack, gatewayClient, PERIOD, startGatewayStack } from './harness.ts'

let stack: GatewayStack
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(stack.edgeUrl + path, { headers })
const client = (options: Parameters<typeof gatewayClient>[2] = {}) =>
  gatewayClient(`${stack.edgeUrl}/trpc`, (url, init) => fetch(url, init), options)
const trpcError = (err: unknown) => err as TRPCClientError<AppRouter>

/** Inserts one benchmark run at `ranAt`. */
async function insertRun(ranAt: string, runs: number) {
  await stack.pool.query(
    `INSERT INTO score_benchmarks (ran_at, runs, target, uncached_total_s, cached_total_s,
      uncached_p50_ms, uncached_p95_ms, uncached_p99_ms, cached_p50_ms, cached_p95_ms,
      cached_p99_ms, speedup, runtime)
     VALUES ($1, $2, 'http://edge', 0.8, 0.25, 8, 9, 10, 2, 3, 4, 3.2, 'node')`,
    [ranAt, runs],
  )
}

beforeAll(async () => {
  stack = await startGatewayStack('gateway')
  for (const [i, at] of [
    '2026-05-01T00:00:00.000100Z',
    '2026-05-01T00:00:00.000200Z',
    '2026-05-02T00:00:00Z',
    '2026-05-03T00:00:00Z',
    '2026-05-04T00:00:00Z',
  ].entries())
    await insertRun(at, i + 1)
})

afterAll(async () => {
  await stack?.close()
})

describe('ETag and 304 on queries', () => {
  it('Should tag a score.get answer with the SHA-256 of its bytes and 304 it with no body', async () => {
    const { client: trpc, last } = client({ batch: false })
    const score = await trpc.score.get.query({ topic: 'Gateway  Owls' })
    expect(score).toMatchObject({ topic: 'gateway owls', product: null })
    const first = last()
    expect(first.status).toBe(200)
    const tag = first.headers.get('ETag')
    expect(tag).toBe(contentTag(first.body))
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{43}"$/)
    expect(first.headers.get('Cache-Control')).toBe('public, max-age=30')

    const res = await get(new URL(first.url).pathname + new URL(first.url).search, {
      'If-None-Match': tag!,
    })
    expect(res.status).toBe(304)
    expect((await res.arrayBuffer()).byteLength).toBe(0)
    expect(res.headers.get('ETag')).toBe(tag)
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=30')
    expect(res.headers.get('Vary')).toBe('trpc-accept')
    expect(res.headers.get('Date')).toMatch(/GMT$/)
  })

  it('Should answer a conditional score.get from the validator cache, without the resolver or the database', async () => {
    const { client: trpc, last } = client({ batch: false })
    await trpc.score.get.query({ topic: 'gateway owls', product: 'mug' })
    const first = last()
    // The tag the service keeps is the one the 200 carried: the body is the cached JSON, enveloped.
    const cached = await stack.service.get({ topic: 'gateway owls', product: 'mug' })
    expect(first.body).toBe(scoreGetBody(cached.body))
    expect(cached.etag).toBe(first.headers.get('ETag'))

    const resolverBefore = stack.resolverCalls()
    const queriesBefore = stack.db.calls
    const path = new URL(first.url).pathname + new URL(first.url).search
    for (const condition of [cached.etag!, `W/${cached.etag}`, `"x", ${cached.etag}`, '*']) {
      const res = await get(path, { 'If-None-Match': condition })
      expect(res.status).toBe(304)
      expect(await res.text()).toBe('')
      expect(res.headers.get('ETag')).toBe(cached.etag)
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=30')
    }
    expect(stack.resolverCalls()).toBe(resolverBefore)
    expect(stack.db.calls).toBe(queriesBefore)

    // A stale tag runs the resolver and gets the full answer.
    const full = await get(path, { 'If-None-Match': '"stale"' })
    expect(full.status).toBe(200)
    expect(await full.text()).toBe(first.body)
    expect(stack.resolverCalls()).toBe(resolverBefore + 1)
  })

  it('Should give a changed result a new tag and a 200 to the old one', async () => {
    const { client: trpc, last } = client({ batch: false })
    const id = stack.designIds[0]!
    const input = { id, product: 'poster' as const, ...PERIOD }
    const before = await trpc.analytics.designSummary.query(input)
    const old = last()
    expect(old.headers.get('Cache-Control')).toBe('public, max-age=60')
    const path = new URL(old.url).pathname + new URL(old.url).search
    expect((await get(path, { 'If-None-Match': old.headers.get('ETag')! })).status).toBe(304)

    await stack.pool.query(
      `INSERT INTO events (design_id, product, kind, revenue, occurred_at)
       VALUES ($1, 'poster', 'impression', 0, '2026-05-20T00:00:00Z')`,
      [id],
    )
    const res = await get(path, { 'If-None-Match': old.headers.get('ETag')! })
    expect(res.status).toBe(200)
    const tag = res.headers.get('ETag')
    expect(tag).not.toBe(old.headers.get('ETag'))
    const body = await res.text()
    expect(tag).toBe(contentTag(body))
    expect(JSON.parse(body).result.data.impressions).toBe(before.impressions + 1)
  })

  it('Should tag a batch of public queries and 304 it, with the shortest max-age', async () => {
    const { client: trpc, seen } = client()
    const [score, top, history] = await Promise.all([
      trpc.score.get.query({ topic: 'gateway owls' }),
      trpc.analytics.topDesigns.query({ metric: 'revenue', limit: 5, ...PERIOD }),
      trpc.benchmarks.history.query({ limit: 2 }),
    ])
    expect(score.topic).toBe('gateway owls')
    expect(top.items).toHaveLength(5)
    expect(history.items).toHaveLength(2)
    expect(seen).toHaveLength(1)
    const batch = seen[0]!
    expect(new URL(batch.url).searchParams.get('batch')).toBe('1')
    expect(batch.status).toBe(200)
    // The shortest: score.get's 30 s (SCORE_CLIENT_MAX_AGE: half the 60 s soft TTL), not analytics' 60.
    expect(batch.headers.get('Cache-Control')).toBe('public, max-age=30')
    const tag = batch.headers.get('ETag')!
    expect(tag).toBe(contentTag(batch.body))
    const res = await get(new URL(batch.url).pathname + new URL(batch.url).search, {
      'If-None-Match': `W/"nope", W/${tag}`,
    })
    expect(res.status).toBe(304)
    expect((await res.arrayBuffer()).byteLength).toBe(0)
  })
})

describe('What never gets a tag or a 304', () => {
  it('Should not tag or 304 a mutation, which is no-store', async () => {
    const { client: trpc, last } = client({ auth: true, batch: false })
    const accepted = await trpc.signals.ingest.mutate({
      signals: [
        {
          topic: 'Gateway Owls',
          source: 'etsy',
          metric: 'sales',
          value: 3,
          observedAt: '2026-05-30T00:00:00Z',
        },
      ],
    })
    expect(accepted.count).toBe(1)
    const job = await stack.queue.getJob(accepted.jobId)
    expect(job?.data.postedBy).toBe('tester')
    expect(last().headers.get('ETag')).toBeNull()
    expect(last().headers.get('Cache-Control')).toBe('no-store')

    const res = await fetch(`${stack.edgeUrl}/trpc/signals.ingest`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json', 'If-None-Match': '*' },
      body: JSON.stringify({
        signals: [
          { topic: 'x', source: 'etsy', metric: 'm', value: 1, observedAt: '2026-05-30T00:00:00Z' },
        ],
      }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('ETag')).toBeNull()
  })

  it('Should not tag or 304 an error', async () => {
    const input = encodeURIComponent(JSON.stringify({ topic: '' }))
    const res = await get(`/trpc/score.get?input=${input}`, { 'If-None-Match': '*' })
    expect(res.status).toBe(400)
    expect(res.headers.get('ETag')).toBeNull()
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const body = (await res.json()) as { error: { data: Record<string, unknown> } }
    expect(body.error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 })
    expect(body.error.data).not.toHaveProperty('stack')
  })

  it('Should not tag or 304 a 207 batch holding an error', async () => {
    const { client: trpc, seen } = client()
    const results = await Promise.allSettled([
      trpc.score.get.query({ topic: 'gateway owls' }),
      trpc.analytics.designSummary.query({ id: 999_999, ...PERIOD }),
    ])
    expect(results[0].status).toBe('fulfilled')
    expect(results[1].status).toBe('rejected')
    const batch = seen[0]!
    expect(batch.status).toBe(207)
    expect(batch.headers.get('ETag')).toBeNull()
    const res = await get(new URL(batch.url).pathname + new URL(batch.url).search, {
      'If-None-Match': `*, ${contentTag(batch.body)}`,
    })
    expect(res.status).toBe(207)
    expect(res.headers.get('ETag')).toBeNull()
  })
})

describe('Cache policy', () => {
  /** A stand-in for core's mock-up routes: the contract's view, typed so it follows the contract. */
  const mockupRoutes: CoreRoutes = (app, requireKey) => {
    const mockup: MockupView = {
      id: '6d1f8a36-5b8e-4a57-9d5d-0b5f2c7e4a11',
      status: 'completed',
      progress: 1,
      prompt: 'shirt design',
      product: 'shirt',
      seed: 7,
      steps: 4,
      width: 512,
      height: 512,
      provider: 'cpu',
      timings: { unet: 12.5 },
      images: { png: '/mockups/a.png', webp: '/mockups/a.webp' },
      error: null,
      errorCode: null,
      attempts: 1,
      createdAt: '2026-05-31T00:00:00.000Z',
      startedAt: '2026-05-31T00:00:01.000Z',
      finishedAt: '2026-05-31T00:00:05.000Z',
    }
    app.get('/mockups/:id', requireKey, (c) => c.json({ ...mockup, id: c.req.param('id') }))
    app.get('/mockups', requireKey, (c) => c.json({ items: [mockup], nextCursor: null }))
  }

  it('Should make a batch mixing public and private procedures private, varying on Authorization', async () => {
    const coreUrl = await stack.startCore([mockupRoutes])
    const app = stack.edgeApp({ coreUrl })
    const { client: trpc, seen } = gatewayClient(
      'http://edge.test/trpc',
      async (url, init) => app.request(url, init),
      { auth: true },
    )
    const [score, page] = await Promise.all([
      trpc.score.get.query({ topic: 'gateway owls' }),
      trpc.mockups.list.query({ limit: 1 }),
    ])
    expect(score.topic).toBe('gateway owls')
    expect(page.items[0]?.images?.png).toBe('/mockups/a.png')
    const batch = seen[0]!
    expect(batch.status).toBe(200)
    expect(batch.headers.get('Cache-Control')).toBe('private, no-cache')
    expect(batch.headers.get('Vary')).toContain('Authorization')
    const tag = batch.headers.get('ETag')!
    const res = await app.request(new URL(batch.url).pathname + new URL(batch.url).search, {
      headers: { Authorization: AUTH, 'If-None-Match': tag },
    })
    expect(res.status).toBe(304)
    expect(res.headers.get('Cache-Control')).toBe('private, no-cache')
    expect(res.headers.get('Vary')).toContain('Authorization')
  })

  it('Should keep a private query private and need a key for it', async () => {
    const coreUrl = await stack.startCore([mockupRoutes])
    const app = stack.edgeApp({ coreUrl })
    const target = async (url: string, init?: RequestInit) => app.request(url, init)
    const keyed = gatewayClient('http://edge.test/trpc', target, { auth: true, batch: false })
    const id = '0b7a6c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b'
    expect((await keyed.client.mockups.get.query({ id })).id).toBe(id)
    expect(keyed.last().headers.get('Cache-Control')).toBe('private, no-cache')

    const anonymous = gatewayClient('http://edge.test/trpc', target, { batch: false })
    const err = trpcError(await anonymous.client.mockups.get.query({ id }).catch((e) => e))
    expect(err).toBeInstanceOf(TRPCClientError)
    expect(err.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 })
    expect(anonymous.last().status).toBe(401)
    expect(anonymous.last().headers.get('WWW-Authenticate')).toContain('Bearer')
  })
})

describe('Auth', () => {
  it('Should refuse a mutation without a key with a 401 tRPC error', async () => {
    const { client: trpc, last } = client({ batch: false })
    const err = trpcError(
      await trpc.mockups.create
        .mutate({ prompt: 'shirt design', product: 'shirt' })
        .catch((e) => e),
    )
    expect(err.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 })
    expect(last().status).toBe(401)
  })

  it('Should refuse a wrong key with 401 JSON, without echoing it', async () => {
    const input = encodeURIComponent(JSON.stringify({ topic: 'gateway owls' }))
    const res = await get(`/trpc/score.get?input=${input}`, {
      Authorization: 'Bearer not-the-secret-0123456',
    })
    expect(res.status).toBe(401)
    const text = await res.text()
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'unauthorized' } })
    expect(text).not.toContain('not-the-secret')
  })

  it('Should serve public queries without a key', async () => {
    const { client: trpc } = client({ batch: false })
    expect((await trpc.benchmarks.history.query()).items).toHaveLength(5)
  })
})

describe('Limits', () => {
  it('Should refuse a batch of more than 20 calls with 400', async () => {
    const input = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [i, { topic: `t${i}` }]))
    const paths = Array.from({ length: 21 }, () => 'score.get').join(',')
    const res = await get(
      `/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`,
    )
    expect(res.status).toBe(400)
    expect(res.headers.get('ETag')).toBeNull()
    expect(JSON.stringify(await res.json())).toMatch(/BAD_REQUEST|batch/i)
  })

  it('Should refuse a body over 1 MiB with 413 JSON', async () => {
    // In process: over a socket the early answer leaves the unread body on a keep-alive connection.
    const res = await stack.app.request('/trpc/signals.ingest', {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ signals: [{ topic: 'x'.repeat(1024 * 1024 + 1) }] }),
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } })
  })

  it('Should refuse a GET input over 16 KiB with 413 JSON', async () => {
    // In process: Node's HTTP server itself refuses such a long request line (431).
    const input = encodeURIComponent(JSON.stringify({ topic: 'y'.repeat(17 * 1024) }))
    const res = await stack.app.request(`/trpc/score.get?input=${input}`)
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: 'input_too_large' } })
  })

  it('Should refuse inputs over their schema bounds with 400', async () => {
    const { client: trpc } = client({ batch: false })
    const err = trpcError(await trpc.analytics.topDesigns.query({ limit: 101 }).catch((e) => e))
    expect(err.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 })
  })
})

describe('Core calls', () => {
  it('Should answer NOT_IMPLEMENTED for a route core does not have yet', async () => {
    const { client: trpc, last } = client({ auth: true, batch: false })
    const err = trpcError(
      await trpc.mockups.get.query({ id: '0b7a6c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b' }).catch((e) => e),
    )
    expect(err.data).toMatchObject({ code: 'NOT_IMPLEMENTED', httpStatus: 501 })
    expect(last().headers.get('ETag')).toBeNull()
  })

  it("Should pass core's 400 on with its code and details", async () => {
    const { client: trpc } = client({ batch: false })
    const err = trpcError(
      await trpc.analytics.topDesigns.query({ from: PERIOD.to, to: PERIOD.from }).catch((e) => e),
    )
    expect(err.data).toMatchObject({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      coreCode: 'invalid_request',
      details: { field: 'from' },
    })
  })

  it('Should answer BAD_GATEWAY when core is unreachable', async () => {
    const app = stack.edgeApp({ coreUrl: `http://127.0.0.1:${await freePort()}` })
    const res = await app.request(
      `/trpc/analytics.topDesigns?input=${encodeURIComponent(JSON.stringify({}))}`,
    )
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: { data: { code: 'BAD_GATEWAY' } } })
  })

  it('Should page benchmarks.history newest first with a keyset cursor', async () => {
    const { client: trpc } = client({ batch: false })
    const runs: number[] = []
    let cursor: string | undefined
    do {
      const page = await trpc.benchmarks.history.query({ limit: 2, cursor })
      runs.push(...page.items.map((item) => item.runs))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    // Rows 1 and 2 differ by microseconds only: the cursor keeps them apart.
    expect(runs).toEqual([5, 4, 3, 2, 1])
  })
})
