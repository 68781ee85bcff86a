/**
 * @module
 * The seed's score benchmark: N uncached requests (distinct keys), N served
 * from Redis, N from the in-process L1, against the edge app over HTTP. The
 * timing and the figures are core's engine (core/benchmarks/measure-score.ts,
 * which the scheduled benchmark_score_job runs too); this is its command line.
 *
 *   npx tsx scripts/benchmark_score.ts [--runs 100] [--persist] [--url URL] [--throughput S] [--expiring]
 *
 * Without --url it seeds a `bench_score` schema (100k signals, once), starts
 * three edge processes on it, one with the L1 off (so "Cached" is the Redis
 * tier), one with it on, and one with the L1 off and a 1 s soft TTL (its
 * "stale" pass asks for the same keys past their soft TTL: served STALE,
 * refreshed in the background), and deletes the benchmark's keys from Redis
 * first so the uncached pass really misses. With --url it measures that
 * server as it is (it reads X-Cache to report which tier answered).
 * --expiring (local runs) adds two passes of 16 concurrent clients for 5 s
 * each over the keys: on the first edge, where no key expires (the floor),
 * and on the 1 s edge, where every key passes its soft TTL again and again.
 * --persist writes a row to `score_benchmarks` of DATABASE_URL.
 * --throughput S also runs wrk for S seconds a round: cached /score against
 * the trivial /healthz on the same server.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import type pg from 'pg'
import {
  createHttpProbe,
  loadPass,
  measureScore,
  type PassFigures,
  persistScoreRun,
  type ScoreBenchmarkResult,
  scoreQueries,
  scoreReportLines,
  scoreUrl,
  timedPass,
} from '../core/benchmarks/index.ts'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { type ScoreQuery, scoreKey } from '../edge/score/index.ts'
import { gitCommit } from './bench/git.ts'
import { progress } from './bench/progress.ts'
import { median } from './bench/stats.ts'
import { runWrk } from './bench/wrk.ts'
import { countSignals, DEMO_TOPICS, seedSignals } from './dev/demo-data/index.ts'
import {
  freePort,
  type ResolvedServer,
  resolvePostgres,
  resolveRedis,
} from './dev/embedded/index.ts'
import { type RunningService, startService, stopAll, waitReady } from './dev-stack/supervisor.ts'

/** Options of {@link main}. */
export interface BenchmarkScoreOptions {
  runs: number
  persist: boolean
  url?: string
  throughputS?: number
  /** Run the passes under concurrent load with keys expiring (local runs). */
  expiring?: boolean
  /** Schema the benchmark seeds and reads. @defaultValue `'bench_score'` */
  schema?: string
  /** Signals the schema must hold. @defaultValue 100_000 */
  signals?: number
  log?: (line: string) => void
}

const DATA_DIR = resolve(import.meta.dirname, '../.data')

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

/** The local edges' base URLs: L1 off, L1 on, L1 off with a 1 s soft TTL. */
interface LocalEdges {
  plain: string
  l1: string
  stale: string
}

/** Soft TTL of the stale edge: every key the benchmark cached is past it by its stale pass. */
const STALE_EDGE_SOFT_TTL_S = 1
/** The expiring pass: concurrent clients, and how long each of its two passes runs. */
const EXPIRING = { clients: 16, durationMs: 5_000 }

/** Local run: a seeded schema and three edge processes on it (see {@link LocalEdges}). */
async function startLocalEdges(
  options: BenchmarkScoreOptions,
  postgresUrl: string,
  servers: ResolvedServer[],
  services: RunningService[],
  log: (l: string) => void,
): Promise<LocalEdges> {
  const schema = options.schema ?? 'bench_score'
  const redis = await resolveRedis(process.env.REDIS_URL, DATA_DIR)
  servers.push(redis)
  const benchUrl = new URL(postgresUrl)
  benchUrl.searchParams.set('options', `-c search_path=${schema}`)
  const pool = createPool({ url: postgresUrl, schema, size: 4, name: 'bench' })
  await ensureData(pool, schema, options.signals ?? 100_000, log).finally(() => pool.end())
  // Delete this run's keys so the uncached pass really misses.
  const client = new Redis(redis.url)
  await client.del(
    ...scoreQueries(DEMO_TOPICS)
      .slice(0, options.runs)
      .map((q) => scoreKey(q)),
  )
  client.disconnect()
  const start = async (name: string, l1TtlMs: number, extraEnv: Record<string, string> = {}) => {
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
          ...extraEnv,
        },
      },
      log,
    )
    services.push(service)
    return service
  }
  const plain = await start('edge-no-l1', 0)
  const withL1 = await start('edge-l1', 60_000)
  const stale = await start('edge-stale', 0, {
    SCORE_CACHE_SOFT_TTL_SECONDS: String(STALE_EDGE_SOFT_TTL_S),
  })
  await Promise.all(services.map((s) => waitReady(s)))
  return { plain: plain.spec.url, l1: withL1.spec.url, stale: stale.spec.url }
}

/** The measured keys from the L1 edge: a pass that fills its L1, then the timed one. */
async function l1Pass(base: string, urls: readonly string[]): Promise<PassFigures> {
  const probe = createHttpProbe(base)
  try {
    await timedPass(probe, 'filling L1', urls, progress('filling L1', urls.length))
    return await timedPass(probe, 'cached (l1)', urls, progress('cached (l1)', urls.length))
  } finally {
    probe.close()
  }
}

/** The measured keys once more on the stale edge, each past its soft TTL by then. */
async function stalePass(base: string, urls: readonly string[]): Promise<PassFigures> {
  // The uncached pass stored the keys; make sure the newest is past the soft TTL.
  await new Promise((resolve) => setTimeout(resolve, STALE_EDGE_SOFT_TTL_S * 1000))
  const probe = createHttpProbe(base)
  try {
    const pass = await timedPass(probe, 'stale', urls, progress('stale', urls.length))
    const tags = Object.keys(pass.cache)
    return tags.length === 1 ? { ...pass, label: `stale (${tags[0]!.split('/')[1]})` } : pass
  } finally {
    probe.close()
  }
}

/** Concurrent load on the keys: where none expires (the floor), then where all keep expiring. */
async function expiringPasses(edges: LocalEdges, queries: readonly ScoreQuery[]) {
  const onEdge = (base: string) => queries.map((q) => scoreUrl(base, q))
  const ticks = EXPIRING.durationMs / 100
  const steady = await loadPass(onEdge(edges.plain), {
    label: 'steady (redis)',
    ...EXPIRING,
    progress: progress(`steady, ${EXPIRING.clients} clients`, ticks),
  })
  const expiring = await loadPass(onEdge(edges.stale), {
    label: 'expiring (redis)',
    ...EXPIRING,
    progress: progress(`expiring, ${EXPIRING.clients} clients`, ticks),
  })
  return { clients: EXPIRING.clients, steady, expiring }
}

/** Runs the benchmark; see the module comment. */
export async function main(options: BenchmarkScoreOptions): Promise<ScoreBenchmarkResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const servers: ResolvedServer[] = []
  const services: RunningService[] = []
  try {
    const postgres = await resolvePostgres(process.env.DATABASE_URL, DATA_DIR)
    servers.push(postgres)
    const bases = options.url
      ? { plain: options.url.replace(/\/$/, '') }
      : await startLocalEdges(options, postgres.url, servers, services, log)
    const { queries, alreadyCached, ...measured } = await measureScore({
      url: bases.plain,
      topics: DEMO_TOPICS,
      runs: options.runs,
      onPass: progress,
    })
    if (alreadyCached) log(`passed over ${alreadyCached} keys already cached`)
    const result: ScoreBenchmarkResult = {
      ...measured,
      target: options.url ?? 'local edge processes (bench_score schema)',
    }
    if ('l1' in bases) {
      result.l1 = await l1Pass(
        bases.l1,
        queries.map((q) => scoreUrl(bases.l1, q)),
      )
      result.stale = await stalePass(
        bases.stale,
        queries.map((q) => scoreUrl(bases.stale, q)),
      )
      if (options.expiring) result.expiring = await expiringPasses(bases, queries)
    } else if (options.expiring) {
      log('--expiring needs the local edges (no --url): skipped')
    }
    if (options.throughputS) {
      const base = 'l1' in bases ? bases.l1 : bases.plain
      result.throughput = await throughput(base, options.throughputS, log)
    }
    for (const line of scoreReportLines(result, options.runs)) log(line)
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

/** Writes the run to DATABASE_URL's `score_benchmarks`, migrating it first (a local run's own database). */
async function persist(
  url: string,
  result: ScoreBenchmarkResult,
  runs: number,
  log: (l: string) => void,
) {
  const pool = createPool({ url, size: 1, name: 'bench-persist' })
  try {
    await migrate(pool)
    await persistScoreRun(pool, result, runs, { gitCommit: await gitCommit() })
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
      expiring: { type: 'boolean', default: false },
    },
  })
  const runs = Number(values.runs)
  const throughputS = values.throughput === undefined ? undefined : Number(values.throughput)
  if (!Number.isInteger(runs) || runs < 1 || (throughputS !== undefined && !(throughputS > 0))) {
    process.stderr.write(
      'usage: benchmark_score.ts [--runs N] [--persist] [--url URL] [--throughput SECONDS] [--expiring]\n',
    )
    process.exit(2)
  }
  main({
    runs,
    persist: values.persist,
    expiring: values.expiring,
    ...(values.url ? { url: values.url } : {}),
    ...(throughputS ? { throughputS } : {}),
  }).catch((err: Error) => {
    process.stderr.write(`benchmark failed: ${err.message}\n`)
    process.exit(1)
  })
}
