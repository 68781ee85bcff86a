/**
 * @module
 * The tRPC gateway's ETags, measured in one run:
 *
 * 1. a batch answer of at least 100 KB (`analytics.topDesigns` for every
 *    ranking metric, 100 designs each) over HTTP: bytes and latency of the
 *    200 and of the 304 its tag earns;
 * 2. the tag's cost on the 200 path: the same batch in process, through the
 *    router with and without the ETag middleware (and the hash alone);
 * 3. `score.get`: the validator cache's 304 against a full 200, in process
 *    and over HTTP.
 *
 *   npx tsx scripts/benchmark_gateway.ts [--runs 200]
 *
 * Works in its own `bench_gateway` schema (seeded once); core runs in this
 * process on a free port; the score cache is in memory (the L1 answers).
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { trpcServer } from '@hono/trpc-server'
import { Hono } from 'hono'
import { analyticsRoutes } from '../core/analytics/routes.ts'
import { createAnalyticsStore } from '../core/analytics/store.ts'
import { pgSql } from '../core/edge-host/adapters/pg-sql.ts'
import { createCoreApp } from '../core/http/app.ts'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { listen } from '../core/platform/http/listen.ts'
import { createLogger } from '../core/platform/logger.ts'
import { insertSignals } from '../core/signals/index.ts'
import { memoryCache } from '../edge/adapters/index.ts'
import { createEdgeApp } from '../edge/app.ts'
import {
  contentTag,
  createAppRouter,
  createCoreClient,
  RANKING_METRICS,
  scoreGetEtag,
  trpcEtag,
} from '../edge/gateway/index.ts'
import { createScoreService } from '../edge/score/index.ts'
import { median, quantile } from './bench/stats.ts'
import { seedAnalytics } from './dev/demo-data/index.ts'
import { resolvePostgres } from './dev/embedded/index.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } })
const runs = Number(values.runs)
if (!(Number.isInteger(runs) && runs > 0)) {
  process.stderr.write('usage: benchmark_gateway.ts [--runs N]\n')
  process.exit(2)
}

const SCHEMA = 'bench_gateway'
const NOW = new Date('2026-06-01T00:00:00Z')
const PERIOD = { from: '2026-05-02T00:00:00Z', to: NOW.toISOString() }
const logger = createLogger({ service: 'bench', level: 'silent' })

/** `fn` timed `runs` times after a warm-up; durations in ms. */
async function timed(fn: () => Promise<unknown>, warmup = 20): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn()
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await fn()
    out.push(performance.now() - started)
  }
  return out
}

/** Runs `a` and `b` alternately so drift hits both alike. */
async function paired(a: () => Promise<unknown>, b: () => Promise<unknown>) {
  const ta: number[] = []
  const tb: number[] = []
  for (let i = 0; i < 20; i++) await Promise.all([a(), b()])
  for (let i = 0; i < runs; i++) {
    let started = performance.now()
    await a()
    ta.push(performance.now() - started)
    started = performance.now()
    await b()
    tb.push(performance.now() - started)
  }
  return [ta, tb] as const
}

/** Reads a response in full; its byte count. */
async function drain(res: Response): Promise<number> {
  return (await res.arrayBuffer()).byteLength
}

const ms = (values: number[]) =>
  `${median(values).toFixed(3).padStart(8)} ${quantile(values, 0.95).toFixed(3).padStart(8)}`

const postgres = await resolvePostgres(
  process.env.DATABASE_URL,
  resolve(import.meta.dirname, '../.data'),
)
const pool = createPool({ url: postgres.url, schema: SCHEMA, size: 4, name: 'bench-gateway' })
const stops: (() => Promise<unknown>)[] = [() => pool.end(), () => postgres.stop()]
try {
  await migrate(pool, { schema: SCHEMA })
  const designs = Number((await pool.query('SELECT count(*) AS n FROM designs')).rows[0].n)
  if (designs < 800) {
    await pool.query('TRUNCATE events, event_daily, designs, signals RESTART IDENTITY')
    await seedAnalytics(pool, { designs: 800, events: 60_000, seed: 3, now: NOW, days: 30 })
    await insertSignals(pool, [
      {
        topic: 'bench owls',
        product: null,
        source: 'etsy',
        metric: 'saves',
        value: 10,
        observedAt: new Date(),
      },
    ])
    await pool.query('VACUUM ANALYZE events')
  }

  const core = await listen(
    createCoreApp({
      logger,
      observe: () => {},
      apiKeys: [],
      routes: [analyticsRoutes(createAnalyticsStore(pool))],
    }),
    0,
    '127.0.0.1',
  )
  stops.unshift(core.close)
  const coreUrl = `http://127.0.0.1:${core.port}`
  const db = pgSql(pool)
  const score = createScoreService({
    db,
    cache: memoryCache(),
    ttlSeconds: 300,
    l1: { maxEntries: 100, ttlMs: 3_600_000 },
    etagOf: scoreGetEtag,
  })
  const edge = createEdgeApp({ logger, observe: () => {}, score, db, coreUrl })
  const server = await listen(edge, 0, '127.0.0.1')
  stops.unshift(server.close)
  const edgeUrl = `http://127.0.0.1:${server.port}`

  // 1. The big batch over HTTP.
  const batchInput = Object.fromEntries(
    RANKING_METRICS.map((metric, i) => [i, { metric, limit: 100, ...PERIOD }]),
  )
  const batchPath = `/trpc/${RANKING_METRICS.map(() => 'analytics.topDesigns').join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(batchInput))}`
  const first = await fetch(edgeUrl + batchPath)
  const body = await first.text()
  const tag = first.headers.get('ETag')
  if (first.status !== 200 || !tag) throw new Error(`batch answered ${first.status} without a tag`)
  let bytes200 = 0
  let bytes304 = 0
  const [full, notModified] = await paired(
    async () => {
      bytes200 = await drain(await fetch(edgeUrl + batchPath))
    },
    async () => {
      const res = await fetch(edgeUrl + batchPath, { headers: { 'If-None-Match': tag } })
      if (res.status !== 304) throw new Error(`expected 304, got ${res.status}`)
      bytes304 = await drain(res)
    },
  )

  // 2. The tag's cost: the same router with and without the middleware, in process.
  const router = createAppRouter({ score, db, core: createCoreClient({ baseUrl: coreUrl }) })
  const plain = new Hono()
  plain.use('/trpc/*', trpcServer({ endpoint: '/trpc', router }))
  const tagged = new Hono()
  tagged.use('/trpc/*', trpcEtag())
  tagged.use('/trpc/*', trpcServer({ endpoint: '/trpc', router }))
  const [without, withTag] = await paired(
    async () => drain(await plain.request(batchPath)),
    async () => drain(await tagged.request(batchPath)),
  )
  const hashOnly = await timed(async () => contentTag(body))

  // 3. score.get: validator-cache 304 against a full 200.
  const scorePath = `/trpc/score.get?input=${encodeURIComponent(JSON.stringify({ topic: 'bench owls' }))}`
  const scoreTag = (await edge.request(scorePath)).headers.get('ETag')
  if (!scoreTag) throw new Error('score.get carried no tag')
  const conditional = { headers: { 'If-None-Match': scoreTag } }
  const [score200, score304] = await paired(
    async () => drain(await edge.request(scorePath)),
    async () => drain(await edge.request(scorePath, conditional)),
  )
  const [score200Http, score304Http] = await paired(
    async () => drain(await fetch(edgeUrl + scorePath)),
    async () => drain(await fetch(edgeUrl + scorePath, conditional)),
  )

  const overhead = (median(withTag) - median(without)) / median(without)
  const scoreRatio = median(score304) / median(score200)
  const scoreRatioHttp = median(score304Http) / median(score200Http)
  const row = (label: string, bytes: string, values: number[]) =>
    console.log(`${label.padEnd(44)} ${bytes.padStart(9)} ${ms(values)}`)
  console.log(`runs: ${runs} each; latency in ms (median, p95)`)
  console.log(
    `${'case'.padEnd(44)} ${'bytes'.padStart(9)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}`,
  )
  row(`batch of ${RANKING_METRICS.length} topDesigns, 200 (HTTP)`, String(bytes200), full)
  row('same, 304 with its tag (HTTP)', String(bytes304), notModified)
  row('batch 200 in process, without ETag middleware', String(body.length), without)
  row('batch 200 in process, with ETag middleware', String(body.length), withTag)
  row('SHA-256 tag of the body alone', String(body.length), hashOnly)
  row('score.get 200 in process (L1 hit)', '', score200)
  row('score.get 304 validator cache, in process', '0', score304)
  row('score.get 200 over HTTP', '', score200Http)
  row('score.get 304 validator cache, over HTTP', '0', score304Http)
  console.log(`304 body: ${bytes304} bytes (goal 0); saved ${bytes200} bytes per revalidation`)
  console.log(`tag overhead on the 200 path: ${(overhead * 100).toFixed(1)}% (goal < 10%)`)
  console.log(
    `score.get 304/200 latency: ${scoreRatio.toFixed(2)} in process, ${scoreRatioHttp.toFixed(2)} over HTTP (goal <= 0.5)`,
  )
} finally {
  for (const stop of stops) await stop().catch(() => {})
}
