/**
 * @module
 * `npx tsx scripts/soak.ts --duration 60 [--rate 200] [--concurrency 64]
 * [--edge-url URL --core-url URL --key SECRET]`: a fixed-rate soak of /score,
 * the gateway (`score.get`, `analytics.topDesigns`) and ingestion
 * (`POST /signals`) together. Open loop: requests start on schedule whatever
 * the answers do, up to `--concurrency` in flight (a start that would exceed
 * it is counted as skipped). Loopback only; stops by itself. Without URLs it
 * starts core (one process), the edge host and an ingestion worker on a
 * private schema and queue prefix of DATABASE_URL/REDIS_URL (default: the test
 * servers), and removes them after. Prints progress, then throughput,
 * p50/p99 and errors per kind, each service's RSS (from /proc) at start,
 * after warm-up and at the end, and whether every acknowledged signal landed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { quantile } from './bench/stats.ts'
import { seedAnalytics } from './dev/demo-data/index.ts'
import { freePort } from './dev/embedded/index.ts'

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    rate: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '64' },
    'edge-url': { type: 'string' },
    'core-url': { type: 'string' },
    key: { type: 'string' },
  },
})
const durationS = Number(args.duration)
const rate = Number(args.rate)
const concurrency = Number(args.concurrency)
if (!(durationS > 0 && rate > 0 && concurrency > 0)) {
  console.error('usage: soak.ts --duration SECONDS [--rate PER_SECOND] [--concurrency N]')
  process.exit(64)
}
for (const url of [args['edge-url'], args['core-url']]) {
  // Loopback only: a soak is never pointed at someone else's service by mistake.
  if (url && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) {
    console.error(`refusing a non-loopback target: ${url}`)
    process.exit(64)
  }
}

/** One kind of request in the mix. */
interface Kind {
  name: string
  weight: number
  send: (n: number) => Promise<Response>
  ok: (status: number) => boolean
}

interface Service {
  name: string
  child: ChildProcess
}

const services: Service[] = []
const cleanups: (() => Promise<unknown>)[] = []
let signalsAccepted = 0
let countSignals: (() => Promise<number>) | undefined

async function rssMiB(pid: number | undefined): Promise<number> {
  if (!pid) return Number.NaN
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1])
  return kb / 1024
}

async function waitReady(url: string, what: string, child: ChildProcess): Promise<void> {
  const end = Date.now() + 60_000
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`)
    const res = await fetch(url).catch(() => null)
    if (res?.ok) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${what} was not ready within 60 s`)
}

/** Starts core, the edge host and an ingestion worker on private resources. */
async function startServices(secret: string): Promise<{ edgeUrl: string; coreUrl: string }> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/15'
  const schema = `soak_${randomUUID().slice(0, 8)}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  cleanups.push(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`)
    await admin.end()
  })
  const pool = createPool({ url: base, schema, size: 2, name: 'soak' })
  cleanups.push(() => pool.end())
  await migrate(pool, { schema })
  await seedAnalytics(pool, { designs: 50, events: 20_000, seed: 5, now: new Date(), days: 30 })
  countSignals = async () =>
    Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM signals')).rows[0]?.n)
  const db = new URL(base)
  db.searchParams.set('options', `-c search_path=${schema}`)
  const prefix = `soak-${randomUUID().slice(0, 8)}`
  const [corePort, coreMetrics, edgePort, edgeMetrics, workerMetrics] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  )
  const env = {
    ...process.env,
    DATABASE_URL: db.toString(),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    SCORE_CACHE_PREFIX: `${prefix}:`,
    API_KEYS: `soak:${secret}`,
    // The soak is one key at far more than the default 600/min: limits stay on, out of reach.
    RATE_LIMIT_PER_MINUTE: '1000000',
    CORE_WORKERS: '1',
    BENCHMARK_CRON: '0 0 1 1 *',
    LOG_LEVEL: 'warn',
  }
  const start = (name: string, entry: string, extra: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { ...env, ...extra },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    services.push({ name, child })
    return child
  }
  const core = start('core', 'core/main.ts', {
    PORT: String(corePort),
    METRICS_PORT: String(coreMetrics),
  })
  await waitReady(`http://127.0.0.1:${coreMetrics}/readyz`, 'core', core)
  const edge = start('edge', 'core/edge-host/main.ts', {
    PORT: String(edgePort),
    METRICS_PORT: String(edgeMetrics),
    CORE_URL: `http://127.0.0.1:${corePort}`,
  })
  const worker = start('ingest-worker', 'core/ingestion/worker-main.ts', {
    METRICS_PORT: String(workerMetrics),
  })
  await waitReady(`http://127.0.0.1:${edgeMetrics}/readyz`, 'edge', edge)
  await waitReady(`http://127.0.0.1:${workerMetrics}/readyz`, 'ingestion worker', worker)
  return { edgeUrl: `http://127.0.0.1:${edgePort}`, coreUrl: `http://127.0.0.1:${corePort}` }
}

async function stopServices(): Promise<void> {
  for (const { name, child } of services.reverse()) {
    if (child.exitCode !== null) continue
    child.kill('SIGTERM')
    const [code] = (await once(child, 'exit')) as [number | null]
    if (code !== 0) console.error(`${name} exited with ${code} on SIGTERM`)
  }
  for (const step of cleanups.reverse()) await step().catch((err) => console.error(err))
}

const topics = Array.from({ length: 40 }, (_, i) => `soak topic ${i}`)
const input = (value: unknown) => encodeURIComponent(JSON.stringify(value))

function kinds(edgeUrl: string, coreUrl: string, auth: string): Kind[] {
  const ok200 = (s: number) => s === 200
  return [
    {
      name: 'edge /score',
      weight: 4,
      ok: ok200,
      send: (n) => fetch(`${edgeUrl}/score?topic=${encodeURIComponent(topics[n % 40]!)}`),
    },
    {
      name: 'gateway score.get',
      weight: 2,
      ok: ok200,
      send: (n) => fetch(`${edgeUrl}/trpc/score.get?input=${input({ topic: topics[n % 40] })}`),
    },
    {
      name: 'gateway analytics.topDesigns',
      weight: 2,
      ok: ok200,
      send: () =>
        fetch(`${edgeUrl}/trpc/analytics.topDesigns?input=${input({ metric: 'revenue' })}`),
    },
    {
      name: 'core POST /signals',
      weight: 2,
      ok: (s) => s === 202,
      send: async (n) => {
        const signals = Array.from({ length: 5 }, (_, i) => ({
          topic: topics[(n + i) % 40],
          source: 'soak',
          metric: 'views',
          value: n * 5 + i,
          observedAt: new Date(Date.now() - i * 1000).toISOString(),
        }))
        const res = await fetch(`${coreUrl}/signals`, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'application/json' },
          body: JSON.stringify({ signals }),
        })
        if (res.status === 202) signalsAccepted += signals.length
        return res
      },
    },
  ]
}

interface KindStats {
  sent: number
  errors: number
  skipped: number
  latencies: number[]
  statuses: Map<string, number>
}

async function main(): Promise<void> {
  const secret = args.key ?? randomBytes(16).toString('hex')
  const started = args['edge-url'] && args['core-url']
  const { edgeUrl, coreUrl } = started
    ? { edgeUrl: args['edge-url']!, coreUrl: args['core-url']! }
    : await startServices(secret)
  const mix = kinds(edgeUrl, coreUrl, `Bearer ${secret}`)
  const table = mix.flatMap((k) => Array.from({ length: k.weight }, () => k))
  const stats = new Map<string, KindStats>(
    mix.map((k) => [
      k.name,
      { sent: 0, errors: 0, skipped: 0, latencies: [], statuses: new Map() },
    ]),
  )
  const rss = async () =>
    Promise.all(services.map(async (s) => [s.name, await rssMiB(s.child.pid)] as const))
  const rssStart = await rss()
  let rssWarm = rssStart
  console.log(
    `soak: ${rate}/s for ${durationS} s, at most ${concurrency} in flight, edge ${edgeUrl}, core ${coreUrl}`,
  )

  let inFlight = 0
  let scheduled = 0
  const pending = new Set<Promise<void>>()
  const t0 = performance.now()
  const endAt = t0 + durationS * 1000
  let nextProgress = t0 + 5000
  let warmTaken = false
  while (performance.now() < endAt) {
    const now = performance.now()
    const due = Math.floor(((now - t0) / 1000) * rate)
    while (scheduled < due) {
      const n = scheduled++
      const kind = table[n % table.length]!
      const s = stats.get(kind.name)!
      if (inFlight >= concurrency) {
        s.skipped++
        continue
      }
      inFlight++
      s.sent++
      const begin = performance.now()
      const p = kind
        .send(n)
        .then(async (res) => {
          await res.arrayBuffer()
          s.latencies.push(performance.now() - begin)
          s.statuses.set(String(res.status), (s.statuses.get(String(res.status)) ?? 0) + 1)
          if (!kind.ok(res.status)) s.errors++
        })
        .catch((err: Error) => {
          s.errors++
          s.statuses.set(err.name, (s.statuses.get(err.name) ?? 0) + 1)
        })
        .finally(() => {
          inFlight--
          pending.delete(p)
        })
      pending.add(p)
    }
    if (!warmTaken && now - t0 >= durationS * 100) {
      warmTaken = true
      rssWarm = await rss()
    }
    if (now >= nextProgress) {
      nextProgress += 5000
      const all = [...stats.values()]
      const sent = all.reduce((a, s) => a + s.sent, 0)
      const errors = all.reduce((a, s) => a + s.errors + s.skipped, 0)
      console.log(
        `  ${((now - t0) / 1000).toFixed(0)} s: ${sent} sent, ${errors} errors/skipped, ${inFlight} in flight`,
      )
    }
    await new Promise((r) => setTimeout(r, 5))
  }
  await Promise.all(pending)
  const elapsed = (performance.now() - t0) / 1000
  const rssEnd = await rss()

  console.log(
    `\n${'kind'.padEnd(30)} ${'sent'.padStart(7)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)} ${'skipped'.padStart(8)}  statuses`,
  )
  let totalErrors = 0
  let totalSkipped = 0
  for (const [name, s] of stats) {
    totalErrors += s.errors
    totalSkipped += s.skipped
    console.log(
      `${name.padEnd(30)} ${String(s.sent).padStart(7)} ${(s.sent / elapsed).toFixed(1).padStart(7)} ${quantile(s.latencies, 0.5).toFixed(1).padStart(8)} ${quantile(s.latencies, 0.99).toFixed(1).padStart(8)} ${String(s.errors).padStart(7)} ${String(s.skipped).padStart(8)}  ${[...s.statuses].map(([k, v]) => `${k}:${v}`).join(' ')}`,
    )
  }
  const total = [...stats.values()].reduce((a, s) => a + s.sent, 0)
  console.log(
    `total: ${total} requests in ${elapsed.toFixed(1)} s = ${(total / elapsed).toFixed(1)}/s, ${totalErrors} errors, ${totalSkipped} skipped`,
  )
  for (const [i, [name, start]] of rssStart.entries()) {
    const warm = rssWarm[i]?.[1] ?? Number.NaN
    const end = rssEnd[i]?.[1] ?? Number.NaN
    const drift = ((end - warm) / warm) * 100
    console.log(
      `memory ${name}: RSS ${start.toFixed(0)} MiB at start, ${warm.toFixed(0)} MiB after warm-up, ${end.toFixed(0)} MiB at end (${drift >= 0 ? '+' : ''}${drift.toFixed(1)}% since warm-up)`,
    )
  }
  if (countSignals) {
    // Nothing lost: every acknowledged signal is written once the worker drains the queue.
    const deadline = Date.now() + 60_000
    let rows = await countSignals()
    while (rows < signalsAccepted && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500))
      rows = await countSignals()
    }
    console.log(`signals: ${signalsAccepted} acknowledged, ${rows} in the table`)
    if (rows < signalsAccepted) totalErrors++
  }
  // A skipped start means the rate was not held: the soak did not do what it was asked.
  process.exitCode = totalErrors === 0 && totalSkipped === 0 ? 0 : 1
}

try {
  await main()
} finally {
  await stopServices()
}
