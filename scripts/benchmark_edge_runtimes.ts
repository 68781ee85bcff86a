/**
 * @module
 * Throughput of the edge app on its runtimes, in one run, with `wrk -t1 -c50`:
 * 1. cached `/score` against the trivial `/healthz` of the same server, on
 *    Node and on Deno (goal: /score at 90% or more of /healthz);
 * 2. on Node with the L1 off (every request reads Redis), the edge stack
 *    through the bridges (Upstash + Neon clients) against direct ioredis + pg.
 * Servers are pinned to core 1 and wrk to core 0 (where taskset exists); the
 * bridges run in this process. Rounds alternate the order of the series so
 * drift on a noisy machine hits each alike; medians are reported. Request log
 * lines are off (`LOG_LEVEL=warn`) unless `--log-level info`: this measures the
 * app, not stdout.
 *
 *   npx tsx scripts/benchmark_edge_runtimes.ts [--duration 3] [--rounds 3] [--connections 50]
 *
 * Uses `REDIS_URL` and `DATABASE_URL` (default: the test servers), in a
 * schema and key prefix of its own that it removes at the end.
 */
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { insertSignals } from '../core/signals/index.ts'
import { positiveWholeNumbers } from './bench/args.ts'
import { median } from './bench/stats.ts'
import { requireWrk, runWrk } from './bench/wrk.ts'
import { startNeonBridge, startUpstashBridge } from './dev/bridges/index.ts'
import { freePort } from './dev/embedded/index.ts'
import { spawnServer, waitUntil } from './dev/embedded/process.ts'
import { startDeno } from './edge/deno.ts'
import { bridgedEdgeEnv, detachedCoreEnv } from './edge/env.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'log-level': { type: 'string', default: 'warn' },
  },
})
const {
  duration: durationS,
  rounds,
  connections,
} = positiveWholeNumbers(values, ['duration', 'rounds', 'connections'])

const ROOT = resolve(import.meta.dirname, '..')
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/15'
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const SCORE_PATH = '/score?topic=bench%20owls&product=mug'

interface Server {
  url: string
  stop(): Promise<void>
}

/** `scripts/edge/node-server.ts` in its own process on core 1. */
async function startNode(mode: 'bridged' | 'direct', env: Record<string, string>): Promise<Server> {
  const port = await freePort()
  const server = spawnServer(
    'taskset',
    [
      '-c',
      '1',
      process.execPath,
      '--import',
      'tsx',
      'scripts/edge/node-server.ts',
      mode,
      String(port),
    ],
    { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } },
  )
  const url = `http://127.0.0.1:${port}`
  await waitUntil(server, async () => (await fetch(`${url}/healthz`)).ok, `node ${mode} server`)
  return { url, stop: () => server.stop(5000) }
}

const cleanups: (() => Promise<unknown>)[] = []
/** Series name -> wrk requests/s of each round. */
const results = new Map<string, number[]>()

try {
  await requireWrk()
  const schema = `bench_edge_${randomUUID().slice(0, 8)}`
  const admin = createPool({ url: databaseUrl, size: 1, name: 'bench-edge-admin' })
  cleanups.push(() => admin.end())
  await admin.query(`CREATE SCHEMA ${schema}`)
  cleanups.push(() => admin.query(`DROP SCHEMA ${schema} CASCADE`))
  const pool = createPool({ url: databaseUrl, schema, size: 2, name: 'bench-edge' })
  cleanups.push(() => pool.end())
  await migrate(pool, { schema })
  await insertSignals(
    pool,
    Array.from({ length: 200 }, (_, i) => ({
      topic: 'bench owls',
      product: i % 3 ? 'mug' : null,
      source: ['etsy', 'pinterest', 'reddit', 'tiktok'][i % 4]!,
      metric: 'saves',
      value: i,
      observedAt: new Date(Date.now() - i * 1_800_000),
    })),
  )

  const token = randomUUID()
  const upstash = await startUpstashBridge({ redisUrl, token })
  cleanups.push(upstash.close)
  const neon = await startNeonBridge({ allow: [databaseUrl] })
  cleanups.push(neon.close)
  const prefix = `bench:edge:${randomUUID().slice(0, 8)}:`
  const env = (name: string, extra: Record<string, string> = {}) =>
    bridgedEdgeEnv({
      upstash,
      token,
      neon,
      databaseUrl,
      schema,
      // Benchmarks measure the cache, not the limiter: it would 429 wrk's load.
      extra: {
        ...detachedCoreEnv(),
        SCORE_CACHE_PREFIX: `${prefix}${name}:`,
        LOG_LEVEL: values['log-level'],
        RATE_LIMIT_PER_MINUTE: '0',
        ...extra,
      },
    })
  const noL1 = { SCORE_L1_TTL_MS: '0' }

  const servers = {
    node: await startNode('bridged', env('node')),
    deno: await startDeno({ env: env('deno'), cpus: '1' }),
    nodeBridgedNoL1: await startNode('bridged', env('bridged', noL1)),
    nodeDirectNoL1: await startNode('direct', {
      ...env('direct', noL1),
      REDIS_URL: redisUrl,
      DATABASE_URL: databaseUrl,
      DB_SCHEMA: schema,
    }),
  }
  for (const server of Object.values(servers)) cleanups.push(server.stop)

  const series: [string, string][] = [
    ['Node /healthz', `${servers.node.url}/healthz`],
    ['Node /score', servers.node.url + SCORE_PATH],
    ['Deno /healthz', `${servers.deno.url}/healthz`],
    ['Deno /score', servers.deno.url + SCORE_PATH],
    ['Node /score L1 off, bridges', servers.nodeBridgedNoL1.url + SCORE_PATH],
    ['Node /score L1 off, direct', servers.nodeDirectNoL1.url + SCORE_PATH],
  ]
  // Warm-up: JIT, the first (uncached) score, the Redis keys.
  for (const [, url] of series) await runWrk({ url, durationS: 2, connections, cpus: '0' })
  for (let round = 1; round <= rounds; round++) {
    for (const [name, url] of round % 2 ? series : [...series].reverse()) {
      const result = await runWrk({ url, durationS, connections, cpus: '0' })
      if (result.non2xx > 0) throw new Error(`${name}: ${result.non2xx} responses were not 2xx`)
      results.set(name, [...(results.get(name) ?? []), result.requestsPerSecond])
      process.stdout.write(
        `round ${round}/${rounds} ${name.padEnd(28)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${result.latencyP50Ms.toFixed(2)} ms\n`,
      )
    }
  }
} finally {
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((err: unknown) => process.stderr.write(`cleanup failed: ${err}\n`))
  }
}

const rps = (name: string) => median(results.get(name) ?? [])
const row = (cells: string[]) => `| ${cells.join(' | ')} |\n`
const num = (n: number) => n.toFixed(0)
process.stdout.write(
  `\nMedians of ${rounds} rounds of ${durationS} s, wrk -t1 -c${connections}, LOG_LEVEL=${values['log-level']}\n\n`,
)
process.stdout.write(
  row(['runtime', '/healthz req/s', 'cached /score req/s', '/score vs /healthz', 'goal ≥ 90%']),
)
process.stdout.write(row(['---', '---:', '---:', '---:', '---']))
for (const runtime of ['Node', 'Deno']) {
  const ratio = rps(`${runtime} /score`) / rps(`${runtime} /healthz`)
  process.stdout.write(
    row([
      runtime,
      num(rps(`${runtime} /healthz`)),
      num(rps(`${runtime} /score`)),
      `${(ratio * 100).toFixed(0)}%`,
      ratio >= 0.9 ? 'met' : 'missed',
    ]),
  )
}
const bridged = rps('Node /score L1 off, bridges')
const direct = rps('Node /score L1 off, direct')
process.stdout.write(`\n${row(['Node, /score with the L1 off', 'req/s', 'vs direct'])}`)
process.stdout.write(row(['---', '---:', '---:']))
process.stdout.write(
  row([
    'Upstash + Neon via the bridges',
    num(bridged),
    `${((bridged / direct) * 100).toFixed(0)}%`,
  ]),
)
process.stdout.write(row(['ioredis + pg, direct', num(direct), '100%']))
