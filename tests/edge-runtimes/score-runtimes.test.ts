/**
 * The same /score requests against the edge app on Node, Deno and workerd,
 * each built by `edge/entry/build.ts` with `@upstash/redis` and `neon()`
 * reaching the real Redis and PostgreSQL through the local bridges. Every
 * runtime must answer alike: status, X-Cache, X-Cache-Tier, Cache-Control,
 * Content-Type and the JSON body (less computedAt).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SignalRow } from '../../core/signals/index.ts'
import { scoreKey } from '../../edge/score/index.ts'
import { bundleWorkerd } from '../../scripts/edge/bundle-workerd.ts'
import { type ResponseShape, shapeOf } from './support/response.ts'
import {
  type EdgeRuntime,
  missingRuntime,
  RUNTIME_NAMES,
  type RuntimeName,
  startAllRuntimes,
  stopAll,
} from './support/runtimes.ts'
import { type EdgeTestStack, startEdgeTestStack } from './support/stack.ts'

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000)

// Only signals about 6 days old: recency (exp(-hours/24)) then moves by about
// 1e-6 a minute, so runtimes scoring seconds apart round to the same body.
const ROWS: SignalRow[] = [
  ['etsy', 'mug', 150],
  ['pinterest', null, 152],
  ['reddit', 'mug', 160],
  ['tiktok', 'shirt', 155],
].map(([source, product, age], i) => ({
  topic: 'edge owls',
  product: product as string | null,
  source: source as string,
  metric: 'saves',
  value: 10 * (i + 1),
  observedAt: hoursAgo(age as number),
}))

const unavailable = missingRuntime()
let stack: EdgeTestStack
/** Apps on the shared Redis, one key prefix per runtime. */
let shared: Record<RuntimeName, EdgeRuntime>
/** Apps on the private Redis (1 s expiry), which the outage test stops. */
let isolated: Record<RuntimeName, EdgeRuntime>

/** Runs `steps` on every runtime at once; each runtime's steps run in order. */
async function onEvery(
  runtimes: Record<RuntimeName, EdgeRuntime>,
  steps: (runtime: EdgeRuntime) => Promise<ResponseShape[]>,
): Promise<Record<RuntimeName, ResponseShape[]>> {
  const results = await Promise.all(RUNTIME_NAMES.map((name) => steps(runtimes[name])))
  return Object.fromEntries(RUNTIME_NAMES.map((name, i) => [name, results[i]])) as Record<
    RuntimeName,
    ResponseShape[]
  >
}

/** GETs `paths` one after the other. */
async function getAll(runtime: EdgeRuntime, paths: string[]): Promise<ResponseShape[]> {
  const shapes: ResponseShape[] = []
  for (const path of paths) shapes.push(await shapeOf(await runtime.get(path)))
  return shapes
}

/** Every runtime's answers, less computedAt, equal to Node's. */
function expectAlike(results: Record<RuntimeName, ResponseShape[]>): ResponseShape[] {
  const strip = (shapes: ResponseShape[]) => shapes.map(({ computedAt: _, ...rest }) => rest)
  const node = strip(results.node)
  expect(Object.fromEntries(RUNTIME_NAMES.map((n) => [n, strip(results[n])]))).toEqual(
    Object.fromEntries(RUNTIME_NAMES.map((n) => [n, node])),
  )
  return results.node
}

describe.skipIf(unavailable !== undefined)(
  `GET /score on Node, Deno and workerd${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    beforeAll(async () => {
      stack = await startEdgeTestStack('edge_runtimes', ROWS)
      const script = await bundleWorkerd()
      // Quiet runtimes (LOG_LEVEL=error); the L1 is off so every hit comes from Redis.
      // Parity, not deadlines, is tested here: a loaded machine must not turn a
      // slow Redis answer into a BYPASS on one runtime (failures stay immediate).
      const common = { LOG_LEVEL: 'error', SCORE_L1_TTL_MS: '0', SCORE_CACHE_TIMEOUT_MS: '5000' }
      ;[shared, isolated] = await Promise.all([
        startAllRuntimes((name) => stack.sharedEnv(`${name}:`, common), { workerdScript: script }),
        startAllRuntimes(
          (name) =>
            stack.privateEnv(`${name}:`, {
              ...common,
              SCORE_CACHE_TTL_SECONDS: '2',
              SCORE_CACHE_SOFT_TTL_SECONDS: '1',
            }),
          { workerdScript: script },
        ),
      ])
    })

    afterAll(async () => {
      await stopAll([...Object.values(shared ?? {}), ...Object.values(isolated ?? {})])
      await stack?.close()
    })

    it('Should answer MISS, then HIT from Redis, alike on every runtime', async () => {
      const path = '/score?topic=Edge%20%20Owls&product=mug'
      const results = await onEvery(shared, (r) => getAll(r, [path, path]))
      const [miss, hit] = expectAlike(results)
      expect(miss).toMatchObject({
        status: 200,
        headers: {
          'x-cache': 'MISS',
          'x-cache-tier': null,
          'cache-control':
            'public, max-age=30, s-maxage=60, stale-while-revalidate=240, stale-if-error=300',
          'content-type': 'application/json',
        },
        body: { topic: 'edge owls', product: 'mug' },
      })
      expect((miss!.body as { score: number }).score).toBeGreaterThan(0)
      expect(hit).toMatchObject({
        status: 200,
        headers: { 'x-cache': 'HIT', 'x-cache-tier': 'redis' },
      })
      // Within a runtime the hit is the stored answer, computedAt included.
      for (const name of RUNTIME_NAMES) {
        expect(results[name][1]!.computedAt).toBe(results[name][0]!.computedAt)
      }
    })

    it('Should store each runtime under its own prefix with the configured expiry', async () => {
      await onEvery(shared, (r) => getAll(r, ['/score?topic=prefix%20check']))
      const key = scoreKey({ topic: 'prefix check' })
      // stack.redis adds this file's prefix; the app wrote `<file prefix><runtime>:<key>`.
      const ttls = await Promise.all(
        RUNTIME_NAMES.map((name) => stack.redis.redis.ttl(`${name}:${key}`)),
      )
      for (const ttl of ttls) {
        expect(ttl).toBeGreaterThan(290)
        expect(ttl).toBeLessThanOrEqual(300)
      }
    })

    it('Should expire after a 2 s hard TTL and compute again', async () => {
      const path = '/score?topic=edge%20owls'
      const results = await onEvery(isolated, async (r) => {
        const before = await getAll(r, [path, path])
        await new Promise((resolve) => setTimeout(resolve, 2100))
        return [...before, ...(await getAll(r, [path]))]
      })
      const shapes = expectAlike(results)
      expect(shapes.map((s) => s.headers['x-cache'])).toEqual(['MISS', 'HIT', 'MISS'])
      expect(shapes[0]!.headers['cache-control']).toBe(
        'public, max-age=0, s-maxage=1, stale-while-revalidate=1, stale-if-error=2',
      )
    })

    it.each([
      ['', 'topic', /topic is required/],
      ['topic=', 'topic', /topic must not be empty/],
      [`topic=${'a'.repeat(101)}`, 'topic', /at most 100 characters/],
      ['topic=cats%00', 'topic', /without control characters/],
      ['topic=caf%FF', 'topic', /valid UTF-8/],
      ['topic=cats&product=sofa', 'product', /product must be one of shirt, mug, poster/],
    ])(
      'Should refuse "%s" with 400 naming %s, alike on every runtime',
      async (query, field, message) => {
        const results = await onEvery(shared, (r) => getAll(r, [`/score?${query}`]))
        const [shape] = expectAlike(results)
        expect(shape).toMatchObject({
          status: 400,
          headers: { 'x-cache': null, 'content-type': 'application/json' },
          body: { error: { code: 'invalid_query', details: { field } } },
        })
        expect((shape!.body as { error: { message: string } }).error.message).toMatch(message)
      },
    )

    it('Should answer 200 with X-Cache BYPASS when Redis goes down, alike on every runtime', async () => {
      const path = '/score?topic=edge%20owls&product=shirt'
      const up = await onEvery(isolated, (r) => getAll(r, [path]))
      expect(expectAlike(up)[0]!.headers['x-cache']).toBe('MISS')
      await stack.stopPrivateRedis()
      const down = await onEvery(isolated, (r) => getAll(r, [path, '/score?topic=never%20cached']))
      const [again, fresh] = expectAlike(down)
      expect(again).toMatchObject({
        status: 200,
        headers: { 'x-cache': 'BYPASS', 'x-cache-tier': null },
      })
      expect(again!.body).toEqual(expectAlike(up)[0]!.body)
      expect(fresh).toMatchObject({ status: 200, headers: { 'x-cache': 'BYPASS' } })
    })
  },
)
