/**
 * @module
 * The edge rehearsal's checks: each one a thing a user's deployment must do,
 * asked the way a browser or a client asks it (through the local CDN), and
 * answering with what it saw or throwing with what went wrong.
 */

import { insertSignals } from '../../core/signals/index.ts'
import { EdgeConfigError, loadEdgeConfig } from '../../edge/config/index.ts'
import { ORIGIN_HEADER } from '../cdn/local-cdn.ts'
import { formatReport } from '../check_edge_bundle.ts'
import type { EdgeRehearsal } from './stack.ts'
import { IMAGES_PREFIX } from './stack.ts'

/** One check: a name, and what it found (or it throws). */
export interface Check {
  name: string
  run: (r: EdgeRehearsal) => Promise<string>
}

const TOPIC = 'rehearsal owls'
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47]

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

async function through(r: EdgeRehearsal, path: string, init?: RequestInit) {
  const res = await fetch(`${r.cdnUrl}${path}`, init)
  return { res, origin: res.headers.get(ORIGIN_HEADER), body: await res.arrayBuffer() }
}
const text = (body: ArrayBuffer) => new TextDecoder().decode(body)
const trpcInput = (input: unknown) => encodeURIComponent(JSON.stringify(input))

async function waitFor<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${what}: not within ${ms / 1000} s`)
}

/** The checks, in order (the mock-up one seeds nothing the others need). */
export const CHECKS: readonly Check[] = [
  {
    name: 'the Workers bundle builds offline within the Free plan limit',
    run: async (r) => {
      expect(r.bundle.withinLimit, formatReport(r.bundle))
      return formatReport(r.bundle)
    },
  },
  {
    name: "the Worker's settings without CORE_URL and EDGE_SERVICE_KEY are refused, naming both",
    run: async (r) => {
      const { CORE_URL: _, EDGE_SERVICE_KEY: __, ...missing } = r.workerSettings
      try {
        loadEdgeConfig(missing)
      } catch (err) {
        expect(err instanceof EdgeConfigError, `unexpected error: ${(err as Error).message}`)
        const named = ['CORE_URL', 'EDGE_SERVICE_KEY'].filter((n) => err.message.includes(n))
        expect(
          named.length === 2,
          `the error names ${named.join(', ') || 'neither'}: ${err.message}`,
        )
        return err.message.replace(/\s*\n\s*/g, ' ')
      }
      throw new Error('the settings load without them: the Worker would call http://127.0.0.1:3000')
    },
  },
  {
    name: "the Worker's /readyz: core answers and its database carries core's migrations",
    run: async (r) => {
      const res = await fetch(`${r.edgeUrl}/readyz`)
      const body = (await res.json()) as {
        ready: boolean
        checks: { schema: { schemaVersion?: number } }
      }
      expect(res.status === 200 && body.ready, `${res.status} ${JSON.stringify(body)}`)
      return `200, schema version ${body.checks.schema.schemaVersion} on both`
    },
  },
  {
    name: "a Worker on another database (not core's) is caught by /readyz",
    run: async (r) => {
      const wrong = await r.startMisconfiguredWorker()
      try {
        const res = await fetch(`${wrong.url}/readyz`)
        const body = (await res.json()) as { checks: { database: { ok: boolean; error?: string } } }
        expect(res.status === 503, `answered ${res.status}: ${JSON.stringify(body)}`)
        expect(!body.checks.database.ok, `database check passed: ${JSON.stringify(body)}`)
        return `503: ${body.checks.database.error}`
      } finally {
        await wrong.stop()
      }
    },
  },
  {
    name: 'the console and every file it names load through the CDN from the edge',
    run: async (r) => {
      const page = await through(r, '/')
      expect(
        page.res.status === 200 && page.origin === 'edge',
        `/: ${page.res.status} from ${page.origin}`,
      )
      expect(page.res.headers.get('Cache-Control') === 'no-cache', '/ is not no-cache')
      const files = [...text(page.body).matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!)
      expect(files.length > 0, 'the page names no file')
      for (const file of files) {
        const got = await through(r, file)
        expect(
          got.res.status === 200 && got.origin === 'edge',
          `${file}: ${got.res.status} from ${got.origin}`,
        )
        expect(
          got.res.headers.get('Cache-Control')?.includes('immutable'),
          `${file} is not immutable`,
        )
      }
      return `/ and ${files.length} files: ${files.join(', ')}`
    },
  },
  {
    name: 'a score through the CDN: MISS from Neon, then HIT from Upstash',
    run: async (r) => {
      const hourAgo = new Date(Date.now() - 3_600_000)
      await insertSignals(r.pool, [
        {
          topic: TOPIC,
          product: null,
          source: 'etsy',
          metric: 'saves',
          value: 40,
          observedAt: hourAgo,
        },
      ])
      const path = `/score?topic=${encodeURIComponent(TOPIC)}`
      const first = await through(r, path)
      const second = await through(r, path)
      const caches = [first, second].map((a) => a.res.headers.get('X-Cache'))
      expect(
        first.res.status === 200 && first.origin === 'edge',
        `${first.res.status} from ${first.origin}`,
      )
      expect(caches.join() === 'MISS,HIT', `X-Cache ${caches.join(', ')}`)
      const { score } = JSON.parse(text(first.body)) as { score: number }
      expect(score > 0, `score ${score}`)
      return `score ${score.toFixed(3)}, X-Cache ${caches.join(' then ')}`
    },
  },
  {
    name: 'a tRPC batch through the CDN with an ETag, 304 when unchanged',
    run: async (r) => {
      const path = `/trpc/score.get,score.get?batch=1&input=${trpcInput({ 0: { topic: TOPIC }, 1: { topic: 'x' } })}`
      const batch = await through(r, path)
      const etag = batch.res.headers.get('ETag')
      expect(
        batch.res.status === 200 && etag,
        `${batch.res.status}, ETag ${etag}: ${text(batch.body)}`,
      )
      const again = await through(r, path, { headers: { 'If-None-Match': etag } })
      expect(again.res.status === 304, `If-None-Match answered ${again.res.status}`)
      return `200 ETag ${etag}, then 304`
    },
  },
  {
    name: 'a mock-up submitted through the CDN, made by the GPU worker, its image fetched through the CDN',
    run: async (r) => {
      const auth = { Authorization: r.authorization }
      const created = await through(r, '/trpc/mockups.create', {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          prompt: 'rehearsal mug',
          product: 'mug',
          seed: 7,
          steps: 2,
          width: 64,
          height: 64,
        }),
      })
      expect(
        created.res.status === 200,
        `mockups.create: ${created.res.status} ${text(created.body)}`,
      )
      const { id } = (JSON.parse(text(created.body)) as { result: { data: { id: string } } }).result
        .data
      type View = { status: string; images: { png: string } | null }
      const done = await waitFor('the mock-up to finish', 60_000, async () => {
        const got = await through(r, `/trpc/mockups.get?input=${trpcInput({ id })}`, {
          headers: auth,
        })
        const view = (JSON.parse(text(got.body)) as { result?: { data: View } }).result?.data
        return view && ['completed', 'failed'].includes(view.status) ? view : undefined
      })
      expect(done.status === 'completed' && done.images, `the mock-up ${done.status}`)
      const redirect = await fetch(`${r.cdnUrl}${done.images.png}`, { redirect: 'manual' })
      await redirect.arrayBuffer()
      const location = redirect.headers.get('Location') ?? ''
      expect(
        redirect.status === 302 && location.startsWith(`${r.cdnUrl}/${IMAGES_PREFIX}/`),
        `${done.images.png}: ${redirect.status} to ${location || 'nowhere'} (not the CDN's images path)`,
      )
      const image = await through(r, done.images.png)
      const bytes = new Uint8Array(image.body).slice(0, 4)
      expect(
        image.res.status === 200 && image.origin === 's3-images',
        `${image.res.status} from ${image.origin}`,
      )
      expect(
        PNG_MAGIC.every((b, i) => bytes[i] === b),
        'not a PNG',
      )
      return `${done.images.png} -> 302 ${location.slice(r.cdnUrl.length)} -> ${image.body.byteLength} bytes of PNG from the bucket`
    },
  },
  {
    name: '/metrics and /admin are answered 404 by the CDN',
    run: async (r) => {
      for (const path of ['/metrics', '/admin/queues']) {
        const got = await through(r, path)
        expect(
          got.res.status === 404 && got.origin === 'function',
          `${path}: ${got.res.status} from ${got.origin}`,
        )
      }
      return '/metrics 404, /admin/queues 404, both from the CDN function'
    },
  },
]
