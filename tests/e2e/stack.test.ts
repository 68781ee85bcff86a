/**
 * The stack end to end as `npm start` runs it (scripts/dev-stack/stack.ts):
 * four real processes on the shared servers. A score through the edge (MISS,
 * then HIT), a mock-up made through the public tRPC API and its image fetched
 * through the edge, and each service's /metrics holding its key metrics.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Family,
  parsePrometheusText,
  sampleValue,
} from '../../core/platform/metrics/exposition.ts'
import type { StackServiceName } from '../../scripts/dev-stack/stack.ts'
import { waitFor } from '../support/wait.ts'
import { startTestStack, type TestStack } from './stack-harness.ts'

let t: TestStack
let mockupId: string

beforeAll(async () => {
  t = await startTestStack('e2e')
}, 90_000)

afterAll(async () => {
  await t?.close()
})

/** tRPC's HTTP shapes, as any client sends them. */
async function query(path: string, input: unknown, auth = false) {
  const headers: Record<string, string> = auth ? { Authorization: `Bearer ${t.secret}` } : {}
  const url = `${t.stack.edgeUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
  return fetch(url, { headers })
}

async function metrics(name: StackServiceName): Promise<Map<string, Family>> {
  const res = await fetch(t.stack.metricsUrl(name))
  expect(res.status).toBe(200)
  return parsePrometheusText(await res.text())
}

describe('the stack as npm start runs it', () => {
  it('Should serve a score through the edge: MISS, then HIT with the same body', async () => {
    const url = `${t.stack.edgeUrl}/score?topic=${encodeURIComponent(t.topic)}&product=shirt`
    const first = await fetch(url)
    expect(first.status).toBe(200)
    expect(first.headers.get('X-Cache')).toBe('MISS')
    const body = (await first.json()) as { topic: string; score: number }
    expect(body.topic).toBe(t.topic)
    expect(body.score).toBeGreaterThan(0)
    const second = await fetch(url)
    expect(second.headers.get('X-Cache')).toBe('HIT')
    expect(await second.json()).toEqual(body)
  })

  it('Should make a mock-up through tRPC mockups.create and serve its image through the edge', async () => {
    const created = await fetch(`${t.stack.edgeUrl}/trpc/mockups.create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        prompt: 'e2e shirt design',
        product: 'mug',
        seed: 5,
        steps: 3,
        width: 256,
        height: 256,
      }),
    })
    expect(created.status).toBe(200)
    const accepted = (await created.json()) as { result: { data: { id: string; status: string } } }
    expect(accepted.result.data.status).toBe('queued')
    mockupId = accepted.result.data.id

    type Mockup = { status: string; images: { png: string; webp: string } | null }
    const done = await waitFor(
      async () => {
        const res = await query('mockups.get', { id: mockupId }, true)
        const { result } = (await res.json()) as { result: { data: Mockup } }
        return ['completed', 'failed'].includes(result.data.status) ? result.data : undefined
      },
      'the mock-up to finish',
      60_000,
    )
    expect(done).toMatchObject({
      status: 'completed',
      images: {
        png: `/mockups/${mockupId}/image.png`,
        webp: `/mockups/${mockupId}/image.webp`,
      },
    })
    // The image URLs are relative: they resolve against the edge, which proxies core.
    const png = await fetch(new URL(done.images!.png, t.stack.edgeUrl))
    expect(png.status, await png.clone().text()).toBe(200)
    expect(png.headers.get('Content-Type')).toBe('image/png')
    expect(png.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    expect(await sharp(Buffer.from(await png.arrayBuffer())).metadata()).toMatchObject({
      format: 'png',
      width: 1024,
      height: 1024,
    })
    const webp = await fetch(new URL(done.images!.webp, t.stack.edgeUrl))
    expect((await sharp(Buffer.from(await webp.arrayBuffer())).metadata()).format).toBe('webp')

    // Without the key the mock-up stays private; the image route is public.
    expect((await query('mockups.get', { id: mockupId })).status).toBe(401)
    const list = (await (await query('mockups.list', { limit: 5 }, true)).json()) as {
      result: { data: { items: { id: string }[] } }
    }
    expect(list.result.data.items.map((m) => m.id)).toContain(mockupId)
  })

  it('Should serve the console and its assets from the edge', async () => {
    const page = await fetch(`${t.stack.edgeUrl}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('Cache-Control')).toBe('no-cache')
    const js = (await page.text()).match(/\/assets\/app\.[0-9a-f]{12}\.js/)?.[0]
    expect(js).toBeDefined()
    const asset = await fetch(`${t.stack.edgeUrl}${js}`)
    expect(asset.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
  })

  it("Should expose each service's key metrics in Prometheus text", async () => {
    const core = await metrics('core')
    expect(
      sampleValue(core, 'http_request_duration_seconds_count', {
        service: 'core',
        method: 'POST',
        route: '/mockups',
        status: '202',
      }),
    ).toBe(1)
    expect(sampleValue(core, 'db_pool_size', { pool: 'core' })).toBeGreaterThan(0)
    expect(core.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge')

    const edge = await metrics('edge')
    expect(
      sampleValue(edge, 'http_request_duration_seconds_count', {
        service: 'edge',
        method: 'GET',
        route: '/score',
        status: '200',
      }),
    ).toBe(2)
    expect(
      sampleValue(edge, 'score_cache_requests_total', { tier: 'redis', result: 'miss' }),
    ).toBeGreaterThanOrEqual(1)
    // The edge runs the deployed clients (Neon over HTTP): it holds no pg pool.
    expect(edge.get('db_pool_size')?.samples ?? []).toEqual([])

    const ingest = await metrics('ingest')
    expect(ingest.get('bullmq_queue_length')?.samples.length).toBeGreaterThan(0)
    expect(ingest.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge')

    const gpu = await metrics('gpu')
    expect(sampleValue(gpu, 'mockup_generation_seconds_count', { stage: 'unet' })).toBe(1)
    expect(sampleValue(gpu, 'gpu_slot_acquire_total')).toBe(1)
    expect(sampleValue(gpu, 'gpu_slots_in_use')).toBe(0)
  })
})
