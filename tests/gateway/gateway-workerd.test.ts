/**
 * One ETag round trip through the gateway on Cloudflare workerd (Miniflare):
 * the Worker bundle built by `edge/entry/workerd.ts`, reaching the real
 * PostgreSQL and Redis through the local Neon and Upstash bridges, called by
 * a real `@trpc/client`. The tag is computed with workerd's crypto.subtle.
 */
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SignalRow } from '../../core/signals/index.ts'
import { contentTag } from '../../edge/gateway/index.ts'
import { bundleWorkerd } from '../../scripts/edge/bundle-workerd.ts'
import { COMPATIBILITY_DATE } from '../../scripts/edge/workerd.ts'
import { type EdgeTestStack, startEdgeTestStack } from '../edge-runtimes/support/stack.ts'
import { gatewayClient } from './harness.ts'

const ROWS: SignalRow[] = [
  {
    topic: 'workerd owls',
    product: null,
    source: 'etsy',
    metric: 'saves',
    value: 40,
    observedAt: new Date(Date.now() - 3 * 3_600_000),
  },
]

let stack: EdgeTestStack
let mf: Miniflare

/** Sends a request to the Worker and reads the answer into a standard Response. */
async function dispatch(url: string, init?: RequestInit): Promise<Response> {
  const res = await mf.dispatchFetch(url, {
    method: init?.method,
    headers: [...new Headers(init?.headers)],
    body: typeof init?.body === 'string' ? init.body : undefined,
  })
  return new Response(res.status === 304 ? null : await res.arrayBuffer(), {
    status: res.status,
    headers: [...res.headers],
  })
}

beforeAll(async () => {
  stack = await startEdgeTestStack('gateway_workerd', ROWS)
  mf = new Miniflare({
    modules: true,
    script: await bundleWorkerd(),
    bindings: stack.sharedEnv('workerd:', { LOG_LEVEL: 'error' }),
    compatibilityDate: COMPATIBILITY_DATE,
  })
  await mf.ready
})

afterAll(async () => {
  await mf?.dispose()
  await stack?.close()
})

describe('The gateway on workerd', () => {
  it('Should tag score.get and answer the tag with an empty 304', async () => {
    const { client, last } = gatewayClient('http://edge.test/trpc', dispatch, { batch: false })
    expect((await client.score.get.query({ topic: 'Workerd Owls' })).score).toBeGreaterThan(0)
    const first = last()
    expect(first.status).toBe(200)
    const tag = first.headers.get('ETag')!
    expect(tag).toBe(contentTag(first.body))
    expect(first.headers.get('Cache-Control')).toBe('public, max-age=30')

    for (const condition of [tag, `W/${tag}`, `"other", ${tag}`]) {
      const res = await dispatch(first.url, { headers: { 'If-None-Match': condition } })
      expect(res.status).toBe(304)
      expect((await res.arrayBuffer()).byteLength).toBe(0)
      expect(res.headers.get('ETag')).toBe(tag)
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=30')
    }
  })

  it('Should tag a batch and 304 it, but not a batch holding an error', async () => {
    const { client, seen } = gatewayClient('http://edge.test/trpc', dispatch)
    await Promise.all([
      client.score.get.query({ topic: 'workerd owls' }),
      client.benchmarks.history.query({ limit: 3 }),
    ])
    const batch = seen[0]!
    expect(batch.status).toBe(200)
    const tag = batch.headers.get('ETag')!
    expect(tag).toBe(contentTag(batch.body))
    const res = await dispatch(batch.url, { headers: { 'If-None-Match': tag } })
    expect(res.status).toBe(304)

    const failing = gatewayClient('http://edge.test/trpc', dispatch)
    await Promise.allSettled([
      failing.client.score.get.query({ topic: 'workerd owls' }),
      failing.client.score.get.query({ topic: '' }),
    ])
    expect(failing.seen[0]!.status).toBe(207)
    expect(failing.seen[0]!.headers.get('ETag')).toBeNull()
  })
})
