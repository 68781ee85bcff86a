/**
 * @module
 * The seed's score benchmark: N uncached requests (distinct keys), N served
 * from Redis, N from the in-process L1, against the edge app over HTTP.
 *
 *   npx tsx scripts/benchmark_score.ts [--runs 100] [--persist] [--url URL] [--throughput S]
 *
 * Without --url it seeds a `bench_score` schema (100k signals, once), starts
 * two edge processes on it, one with the L1 off (so "Cached" is the Redis
 * tier) and one with it on, and deletes the benchmark's keys from Redis
 * first so the uncached pass really misses. With --url it measures that
 * server as it is (it reads X-Cache to report which tier answered).
 * --persist writes a row to `score_benchmarks` of DATABASE_URL.
 * --throughput S also runs wrk for S seconds a round: cached /score against
 * the trivial /healthz on the same server.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import type pg from 'pg'
import { createPool, migrate } from '../core/platform/db/index.ts'
import {
  freePort,
  type ResolvedServer,
  resolvePostgres,
  resolveRedis,
} from '../core/platform/embedded/index.ts'
import { countSignals, DEMO_TOPICS, seedSignals } from '../core/signals/index.ts'
import { PRODUCTS, scoreKey } from '../edge/score/index.ts'
import { gitCommit } from './bench/git.ts'
import { get, type PassResult, timedPass } from './bench/http-timing.ts'
import { progress } from './bench/progress.ts'
import { median } from './bench/stats.ts'
import { runWrk } from './bench/wrk.ts'
import { type RunningService, startService, stopAll, waitReady } from './dev-stack/supervisor.ts'

/** Options of {@link main}. */
export interface BenchmarkScoreOptions {
  runs: number
  persist: boolean
  url?: string
  throughputS?: number
  /** Schema the benchmark seeds and reads. @defaultValue `'bench_score'` */
  schema?: string
  /** Signals the schema must hold. @defaultValue 100_000 */
  signals?: number
  log?: (line: string) => void
}

/** What a run measured. */
export interface BenchmarkScoreResult {
  target: string
  uncached: PassResult
  cached: PassResult
  l1?: PassResult
  /** The same server's /healthz, sequentially: the HTTP round trip every pass includes. */
  floor: PassResult
  speedup: number
  throughput?: { trivialRps: number; scoreRps: number; ratio: number }
}

const DATA_DIR = resolve(import.meta.dirname, '../.data')

/** Distinct (topic, product) queries, as many as `runs`. */
function queries(runs: number): { topic: string; product?: (typeof PRODUCTS)[number] }[] {
  const all = DEMO_TOPICS.flatMap((topic) => [
    { topic },
    ...PRODUCTS.map((product) => ({ topic, product })),
  ])
  if (runs > all.length) throw new Error(`--runs can be at most ${all.length} (distinct keys)`)
  return all.slice(0, runs)
}

const scoreUrl = (base: string, q: { topic: string; product?: string }) =>
  `${base}/score?topic=${encodeURIComponent(q.topic)}${q.product ? `&product=${q.product}` : ''}`

/** Seeds the benchmark schema when it holds fewer than `count` signals. */
async function ensureData(pool: pg.Pool, schema: string, count: number, log: (l: string) => void) {
  await migrate(pool, { schema })
  const have = await countSignals(pool)
  if (have >= count) return log(`data: ${have} signals in schema ${schema}`)
  const bar = progress('seeding signals', count)
  await seedSignals(pool, { count, seed: 42 }, bar.tick)
  bar.done()
  log(`data: seeded ${await countSignals(pool)} signals in schema ${schema}`)
}

/** Runs the benchmark; see the module comment. */
export async function main(options: BenchmarkScoreOptions): Promise<BenchmarkScoreResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const schema = options.schema ?? 'bench_score'
  const servers: ResolvedServer[] = []
  const services: RunningService[] = []
  try {
    const postgres = await resolvePostgres(process.env.DATABASE_URL, DATA_DIR)
    servers.push(postgres)
    const list = queries(options.runs)
    let bases: { plain: string; l1?: string }
    if (options.url) {
      bases = { plain: options.url.replace(/\/$/, '') }
    } else {
      const redis = await resolveRedis(process.env.REDIS_URL, DATA_DIR)
      servers.push(redis)
      const benchUrl = new URL(postgres.url)
      benchUrl.searchParams.set('options', `-c search_path=${schema}`)
      const pool = createPool({ url: postgres.url, schema, size: 4, name: 'bench' })
      await ensureData(pool, schema, options.signals ?? 100_000, log).finally(() => pool.end())
      // Delete this run's keys so the uncached pass really misses.
      const client = new Redis(redis.url)
      await client.del(...list.map((q) => scoreKey(q)))
      client.disconnect()
      const start = async (name: string, l1TtlMs: number) => {
        const [port, metricsPort] = [await freePort(), await freePort()]
        const service = startService(
          {
            name,
            entry: 'core/edge-host/main.ts',
            metricsPort,
            url: `http://127.0.0.1:${port}`,
            env: {
              DATABASE_URL: benchUrl.toString(),
              REDIS_URL: redis.url,
              PORT: String(port),
              METRICS_PORT: String(metricsPort),
              LOG_LEVEL: 'warn',
              SCORE_L1_TTL_MS: String(l1TtlMs),
              // The benchmark measures the cache, not the limiter (wrk would be refused).
              RATE_LIMIT_PER_MINUTE: '0',
            },
          },
          log,
        )
        services.push(service)
        return service
      }
      const plain = await start('edge-no-l1', 0)
      const withL1 = await start('edge-l1', 60_000)
      await Promise.all(services.map((s) => waitReady(s)))
      bases = { plain: plain.spec.url, l1: withL1.spec.url }
    }

    const pass = async (label: string, base: string) => {
      const bar = progress(label, list.length)
      const result = await timedPass(
        label,
        list.map((q) => scoreUrl(base, q)),
        bar.tick,
      )
      bar.done()
      return result
    }
    // Warm the connection and the server's JIT on a key outside the measured set.
    await get(`${bases.plain}/score?topic=warm%20up`)
    const floor = await timedPass(
      'floor (/healthz)',
      list.map(() => `${bases.plain}/healthz`),
    )
    const uncached = await pass('uncached', bases.plain)
    const cached = await pass('cached (redis)', bases.plain)
    let l1: PassResult | undefined
    if (bases.l1) {
      await pass('filling L1', bases.l1)
      l1 = await pass('cached (l1)', bases.l1)
    }
    const result: BenchmarkScoreResult = {
      target: options.url ?? 'local edge processes (bench_score schema)',
      uncached,
      cached,
      ...(l1 ? { l1 } : {}),
      floor,
      speedup: uncached.totalS / cached.totalS,
    }
    if (options.throughputS)
      result.throughput = await throughput(bases.l1 ?? bases.plain, options.throughputS, log)
    report(result, options.runs, log)
    if (options.persist) await persist(postgres.url, result, options.runs, log)
    return result
  } finally {
    await stopAll(services)
    for (const server of servers.reverse()) await server.stop().catch(() => {})
  }
}

async function throughput(base: string, durationS: number, log: (l: string) => void) {
  const score = scoreUrl(base, { topic: DEMO_TOPICS[0]! })
  await fetch(score).then((r) => r.arrayBuffer())
  const rounds: Record<'trivial' | 'score', number[]> = { trivial: [], score: [] }
  for (let round = 0; round < 3; round++) {
    for (const kind of round % 2
      ? (['score', 'trivial'] as const)
      : (['trivial', 'score'] as const)) {
      const url = kind === 'score' ? score : `${base}/healthz`
      const { requestsPerSecond, non2xx } = await runWrk({
        url,
        durationS,
        connections: 50,
        cpus: '0',
      })
      if (non2xx > 0) throw new Error(`wrk saw ${non2xx} non-2xx answers from ${url}`)
      rounds[kind].push(requestsPerSecond)
      log(`wrk round ${round + 1} ${kind.padEnd(7)} ${requestsPerSecond.toFixed(0)} req/s`)
    }
  }
  const trivialRps = median(rounds.trivial)
  const scoreRps = median(rounds.score)
  return { trivialRps, scoreRps, ratio: scoreRps / trivialRps }
}

function report(result: BenchmarkScoreResult, runs: number, log: (l: string) => void) {
  const ms = (x: number) => `${x.toFixed(2)} ms`
  log(`Uncached: ${result.uncached.totalS.toFixed(2)}s for ${runs} runs`)
  log(`Cached:   ${result.cached.totalS.toFixed(2)}s for ${runs} runs`)
  if (result.l1) log(`L1:       ${result.l1.totalS.toFixed(2)}s for ${runs} runs`)
  log('')
  log(
    `speedup, Redis tier over uncached: ${result.speedup.toFixed(1)}x (goal >= 10x; the seed got 3.2x)`,
  )
  if (result.l1)
    log(
      `speedup, L1 over uncached:         ${(result.uncached.totalS / result.l1.totalS).toFixed(1)}x`,
    )
  // What the server adds to a bare round trip: the part a cache can remove.
  const above = (pass: PassResult) => pass.p50Ms - result.floor.p50Ms
  log(
    `above the HTTP round trip (p50 minus /healthz p50): uncached ${ms(above(result.uncached))}, Redis tier ${ms(above(result.cached))}: ${(above(result.uncached) / above(result.cached)).toFixed(1)}x`,
  )
  const passes = [result.floor, result.uncached, result.cached, result.l1]
  for (const pass of passes.filter((p) => p !== undefined)) {
    log(
      `${pass.label.padEnd(16)} p50 ${ms(pass.p50Ms)}  p95 ${ms(pass.p95Ms)}  p99 ${ms(pass.p99Ms)}  answers ${JSON.stringify(pass.cache)}`,
    )
  }
  if (result.throughput) {
    const t = result.throughput
    log(
      `throughput: cached /score ${t.scoreRps.toFixed(0)} req/s vs /healthz ${t.trivialRps.toFixed(0)} req/s = ${(t.ratio * 100).toFixed(0)}% (goal >= 70%)`,
    )
  }
}

async function persist(
  url: string,
  r: BenchmarkScoreResult,
  runs: number,
  log: (l: string) => void,
) {
  const pool = createPool({ url, size: 1, name: 'bench-persist' })
  try {
    await migrate(pool)
    await pool.query(
      `INSERT INTO score_benchmarks (runs, target, uncached_total_s, cached_total_s, l1_total_s,
         uncached_p50_ms, uncached_p95_ms, uncached_p99_ms, cached_p50_ms, cached_p95_ms, cached_p99_ms,
         l1_p50_ms, l1_p95_ms, l1_p99_ms, speedup, git_commit, runtime)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        runs,
        r.target,
        r.uncached.totalS,
        r.cached.totalS,
        r.l1?.totalS ?? null,
        r.uncached.p50Ms,
        r.uncached.p95Ms,
        r.uncached.p99Ms,
        r.cached.p50Ms,
        r.cached.p95Ms,
        r.cached.p99Ms,
        r.l1?.p50Ms ?? null,
        r.l1?.p95Ms ?? null,
        r.l1?.p99Ms ?? null,
        r.speedup,
        await gitCommit(),
        `node ${process.version}`,
      ],
    )
    log('persisted to score_benchmarks')
  } finally {
    await pool.end()
  }
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '100' },
      persist: { type: 'boolean', default: false },
      url: { type: 'string' },
      throughput: { type: 'string' },
    },
  })
  const runs = Number(values.runs)
  const throughputS = values.throughput === undefined ? undefined : Number(values.throughput)
  if (!Number.isInteger(runs) || runs < 1 || (throughputS !== undefined && !(throughputS > 0))) {
    process.stderr.write(
      'usage: benchmark_score.ts [--runs N] [--persist] [--url URL] [--throughput SECONDS]\n',
    )
    process.exit(2)
  }
  main({
    runs,
    persist: values.persist,
    ...(values.url ? { url: values.url } : {}),
    ...(throughputS ? { throughputS } : {}),
  }).catch((err: Error) => {
    process.stderr.write(`benchmark failed: ${err.message}\n`)
    process.exit(1)
  })
}
