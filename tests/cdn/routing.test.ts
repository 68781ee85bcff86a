/**
 * Every path a user's browser or client asks the CDN for, resolved through
 * the behaviours of `configure_cdn.sh --dry-run` in CloudFront's precedence
 * and fetched from the local origin it resolved to (scripts/cdn/local-cdn.ts):
 * the edge app on a Node server (real PostgreSQL, core on another port), the
 * mock-up bucket (s3rver), or the CDN's own 404 function. Each must give the
 * right answer: the console's page and every file it names, a score, a tRPC
 * query and batch with ETags, a mock-up image (the edge passes core's 302 to
 * the bucket's path on the CDN, which serves the bytes), and 404 for /metrics
 * and /admin.
 */
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { createCoreApp } from '../../core/http/app.ts'
import { mockupRoutes } from '../../core/mockups/routes.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { listen } from '../../core/platform/http/listen.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { createMockupRecords } from '../../core/platform/mockups/index.ts'
import { createS3MockupStorage } from '../../core/platform/storage/index.ts'
import { schemaVersionRoute } from '../../core/schema/route.ts'
import { insertSignals } from '../../core/signals/index.ts'
import { memoryCache } from '../../edge/adapters/index.ts'
import { createEdgeApp } from '../../edge/app.ts'
import { CONSOLE_ASSETS, CONSOLE_PAGE } from '../../edge/console/assets.generated.ts'
import { scoreGetEtag } from '../../edge/gateway/index.ts'
import { createScoreService } from '../../edge/score/index.ts'
import {
  behaviourFor,
  type DistributionConfig,
  dryRunConfig,
  ORIGIN_HEADER,
  startLocalCdn,
} from '../../scripts/cdn/local-cdn.ts'
import { createTestSchema } from '../support/db.ts'
import { type LocalS3, startLocalS3 } from '../support/s3.ts'

const logger = createLogger({ service: 'test', level: 'silent' })
const IMAGES_PREFIX = 'mockup-images'
const MOCKUP_ID = randomUUID()
const PNG_KEY = `${MOCKUP_ID}/mockup.png`
/** Not a real PNG: the bytes only have to come back unchanged. */
const PNG = new TextEncoder().encode(`\x89PNG routing test ${MOCKUP_ID}`)
const q = (input: unknown) => encodeURIComponent(JSON.stringify(input))

/** The paths, with the origin each must resolve to (the report's path-to-origin table). */
const PATHS: readonly (readonly [path: string, origin: 'edge' | 's3-images' | 'function'])[] = [
  ['/', 'edge'],
  ...CONSOLE_ASSETS.map((a) => [`/assets/${a.name}`, 'edge'] as const),
  ['/score?topic=x', 'edge'],
  [`/trpc/score.get?input=${q({ topic: 'x' })}`, 'edge'],
  [
    `/trpc/score.get,score.get?batch=1&input=${q({ 0: { topic: 'x' }, 1: { topic: 'y' } })}`,
    'edge',
  ],
  [`/mockups/${MOCKUP_ID}/image.png`, 'edge'],
  [`/${IMAGES_PREFIX}/${PNG_KEY}`, 's3-images'],
  ['/metrics', 'function'],
  ['/admin/queues', 'function'],
]

describe('the CDN behaviours route every path to the origin that serves it', () => {
  const cleanups: (() => Promise<unknown>)[] = []
  let config: DistributionConfig
  let cdn: string
  let s3: LocalS3

  beforeAll(async () => {
    config = dryRunConfig(['--images-prefix', IMAGES_PREFIX, 'mockup-images', 'edge.example.com'])
    // Origins are filled in once they listen: core needs the CDN's URL first.
    const origins: Record<string, string> = {}
    const local = await startLocalCdn({ config, origins })
    cleanups.push(local.close)
    cdn = local.url

    s3 = await startLocalS3('mockup-images')
    cleanups.push(s3.close)
    origins['s3-images'] = `${s3.endpoint}/${s3.bucket}`

    const schema = await createTestSchema('cdn_routing')
    cleanups.push(schema.drop)
    const pool: pg.Pool = createPool({
      url: schema.url,
      schema: schema.schema,
      size: 2,
      name: 'cdn',
    })
    cleanups.push(() => pool.end())
    await migrate(pool, { schema: schema.schema, logger })
    const hourAgo = new Date(Date.now() - 3_600_000)
    await insertSignals(pool, [
      {
        topic: 'x',
        product: null,
        source: 'etsy',
        metric: 'saves',
        value: 12,
        observedAt: hourAgo,
      },
    ])

    // Core stores images in the bucket and answers their CDN URL (MOCKUP_PUBLIC_BASE_URL).
    const storage = createS3MockupStorage({
      bucket: s3.bucket,
      prefix: IMAGES_PREFIX,
      endpoint: s3.endpoint,
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      publicBaseUrl: cdn,
      urlTtlSeconds: 900,
    })
    await storage.put(PNG_KEY, PNG, 'image/png')
    const records = createMockupRecords(pool)
    await records.insert({
      id: MOCKUP_ID,
      prompt: 'a routing owl',
      product: 'mug',
      seed: 1,
      steps: 1,
      width: 64,
      height: 64,
      submittedBy: 'tester',
    })
    await records.markCompleted(MOCKUP_ID, {
      provider: 'cpu',
      timings: {},
      pngKey: PNG_KEY,
      webpKey: `${MOCKUP_ID}/mockup.webp`,
    })
    const core = await listen(
      createCoreApp({
        logger,
        observe: () => {},
        apiKeys: [],
        routes: [
          schemaVersionRoute({ db: pool }),
          mockupRoutes({ records, queue: undefined, storage }),
        ],
      }),
      0,
      '127.0.0.1',
    )
    cleanups.push(core.close)

    const db = pgSql(pool)
    const edge = await listen(
      createEdgeApp({
        logger,
        observe: () => {},
        score: createScoreService({
          db,
          cache: memoryCache(),
          ttlSeconds: 60,
          etagOf: scoreGetEtag,
        }),
        db,
        coreUrl: `http://127.0.0.1:${core.port}`,
      }),
      0,
      '127.0.0.1',
    )
    cleanups.push(edge.close)
    origins.edge = `http://127.0.0.1:${edge.port}`
  }, 60_000)

  afterAll(async () => {
    for (const step of cleanups.reverse()) await step()
  })

  test.each(PATHS)('%s resolves to %s', (path, origin) => {
    const behaviour = behaviourFor(config, path)
    const resolved =
      behaviour.FunctionAssociations.Quantity > 0 ? 'function' : behaviour.TargetOriginId
    expect(resolved).toBe(origin)
  })

  test('the console page names only files that resolve to the edge', () => {
    const named = [...CONSOLE_PAGE.body.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!)
    expect(named.length).toBeGreaterThan(0)
    const listed = new Set(PATHS.map(([p]) => p))
    for (const path of named) expect(listed, path).toContain(path)
  })

  const get = async (path: string, headers?: Record<string, string>) => {
    const res = await fetch(`${cdn}${path}`, { headers })
    return {
      res,
      origin: res.headers.get(ORIGIN_HEADER),
      body: new Uint8Array(await res.arrayBuffer()),
    }
  }
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

  test('the console: its page no-cache, every hashed file immutable, all from the edge', async () => {
    const page = await get('/')
    expect([page.res.status, page.origin]).toEqual([200, 'edge'])
    expect(page.res.headers.get('Content-Type')).toContain('text/html')
    expect(page.res.headers.get('Cache-Control')).toBe('no-cache')
    expect(text(page.body)).toBe(CONSOLE_PAGE.body)
    for (const asset of CONSOLE_ASSETS) {
      const file = await get(`/assets/${asset.name}`)
      expect([file.res.status, file.origin], asset.name).toEqual([200, 'edge'])
      expect(file.res.headers.get('Content-Type')).toBe(asset.contentType)
      expect(file.res.headers.get('Cache-Control')).toContain('immutable')
      expect(text(file.body)).toBe(asset.body)
    }
  })

  test('a score, a tRPC query and a tRPC batch from the edge, the queries with ETags', async () => {
    const score = await get('/score?topic=x')
    expect([score.res.status, score.origin]).toEqual([200, 'edge'])
    expect(JSON.parse(text(score.body))).toMatchObject({ topic: 'x' })

    const one = await get(PATHS[CONSOLE_ASSETS.length + 2]![0])
    expect([one.res.status, one.origin]).toEqual([200, 'edge'])
    const etag = one.res.headers.get('ETag')
    expect(etag).toMatch(/^"/)
    // If-None-Match is forwarded: the edge answers 304 through the CDN.
    const again = await get(PATHS[CONSOLE_ASSETS.length + 2]![0], { 'If-None-Match': etag! })
    expect(again.res.status).toBe(304)

    const batch = await get(PATHS[CONSOLE_ASSETS.length + 3]![0])
    expect([batch.res.status, batch.origin]).toEqual([200, 'edge'])
    expect(batch.res.headers.get('ETag')).toMatch(/^"/)
    const answers = JSON.parse(text(batch.body)) as { result: { data: { topic: string } } }[]
    expect(answers.map((a) => a.result.data.topic)).toEqual(['x', 'y'])
  })

  test('a mock-up image: the edge passes core’s redirect to the bucket path of the CDN, which serves it', async () => {
    const redirect = await fetch(`${cdn}/mockups/${MOCKUP_ID}/image.png`, { redirect: 'manual' })
    await redirect.arrayBuffer()
    expect([redirect.status, redirect.headers.get(ORIGIN_HEADER)]).toEqual([302, 'edge'])
    // Same origin as the console (MOCKUP_PUBLIC_BASE_URL is the CDN): its CSP img-src 'self' allows it.
    expect(redirect.headers.get('Location')).toBe(`${cdn}/${IMAGES_PREFIX}/${PNG_KEY}`)

    const followed = await get(`/mockups/${MOCKUP_ID}/image.png`)
    expect([followed.res.status, followed.origin]).toEqual([200, 's3-images'])
    expect(followed.res.headers.get('Content-Type')).toBe('image/png')
    expect(followed.body).toEqual(PNG)
  })

  test('/metrics and /admin are answered 404 by the CDN, never by an origin', async () => {
    for (const path of ['/metrics', '/admin/queues']) {
      const denied = await get(path)
      expect([denied.res.status, denied.origin], path).toEqual([404, 'function'])
      expect(denied.res.headers.get('Cache-Control')).toBe('no-store')
    }
  })
})
