/**
 * @module
 * Ingestion throughput end to end: HTTP → BullMQ → PostgreSQL. Starts a core
 * app (the signal routes) on a free port and an ingestion worker (a child
 * process running `core/ingestion/worker-main.ts`, as `npm run worker:ingest`
 * does), posts `--batches` batches of 1,000 signals, and times until every
 * row is in the table.
 *
 *   npx tsx scripts/benchmark_ingestion.ts [--batches 50] [--posters 4] [--worker-concurrency 4]
 *
 * Uses `DATABASE_URL` and `REDIS_URL` (else private servers in `.data/`), in
 * a schema (`bench_ingest_<random>`) and a queue prefix of its own, both
 * removed at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createCoreApp } from '../core/http/app.ts'
import { createSignalQueue, signalRoutes } from '../core/ingestion/index.ts'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { listen } from '../core/platform/http/listen.ts'
import { createLogger } from '../core/platform/logger.ts'
import { queueSettings } from '../core/platform/queue/index.ts'
import { createRedis } from '../core/platform/redis/index.ts'
import { progress } from './bench/progress.ts'
import { generateSignals } from './dev/demo-data/index.ts'
import { resolvePostgres, resolveRedis } from './dev/embedded/index.ts'

const { values: args } = parseArgs({
  options: {
    batches: { type: 'string', default: '50' },
    posters: { type: 'string', default: '4' },
    'worker-concurrency': { type: 'string', default: '4' },
  },
})
const batches = Number(args.batches)
const posters = Number(args.posters)
const workerConcurrency = Number(args['worker-concurrency'])
const BATCH = 1000
const SECRET = `bench-${randomUUID()}`

const dataDir = resolve(import.meta.dirname, '../.data')
const postgres = await resolvePostgres(process.env.DATABASE_URL, dataDir)
const redisServer = await resolveRedis(process.env.REDIS_URL, dataDir)
const schema = `bench_ingest_${randomUUID().slice(0, 8)}`
const settings = queueSettings({ prefix: `bench-ingest-${randomUUID().slice(0, 8)}` })
const logger = createLogger({ service: 'bench-ingestion', level: 'warn' })
const pool = createPool({ url: postgres.url, schema, size: 2, name: 'bench_ingest' })
const connection = createRedis(redisServer.url, { role: 'queue', name: 'bench-ingest-producer' })
const queue = createSignalQueue(connection, settings)
let worker: ChildProcess | undefined

/** Batches of the POST body shape, each signal with a unique client id. */
function bodies(): string[] {
  const out: string[] = []
  let n = 0
  for (const rows of generateSignals({ count: batches * BATCH, seed: 7 }, BATCH)) {
    const signals = rows.map((r) => ({
      id: `b-${n++}`,
      topic: r.topic,
      product: r.product,
      source: r.source,
      metric: r.metric,
      value: r.value,
      observedAt: r.observedAt.toISOString(),
    }))
    out.push(JSON.stringify({ signals }))
  }
  return out
}

async function countRows(): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM signals')
  return Number(rows[0]?.n ?? 0)
}

try {
  await migrate(pool, { schema })
  await queue.queue.waitUntilReady()
  const app = createCoreApp({
    logger,
    observe: () => {},
    apiKeys: [{ name: 'bench', tenant: 'bench', secret: SECRET }],
    routes: [signalRoutes({ queue })],
  })
  const server = await listen(app, 0, '127.0.0.1')
  const dbUrl = new URL(postgres.url)
  dbUrl.searchParams.set('options', `-c search_path=${schema}`)
  worker = spawn(process.execPath, ['--import', 'tsx', 'core/ingestion/worker-main.ts'], {
    cwd: resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: redisServer.url,
      QUEUE_PREFIX: settings.prefix,
      INGEST_CONCURRENCY: String(workerConcurrency),
      METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const payloads = bodies()
  // The clock starts once the worker is up (tsx start-up is not ingestion).
  while ((await queue.queue.getWorkersCount()) === 0) {
    if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}`)
    await new Promise((done) => setTimeout(done, 50))
  }
  const bar = progress('rows', batches * BATCH)
  const started = performance.now()
  let next = 0
  const post = async () => {
    while (next < payloads.length) {
      const body = payloads[next++]!
      const res = await fetch(`http://127.0.0.1:${server.port}/signals`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' },
        body,
      })
      if (res.status !== 202)
        throw new Error(`POST /signals answered ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: posters }, post))
  const posted = (performance.now() - started) / 1000
  let rows = 0
  while (rows < batches * BATCH) {
    await new Promise((done) => setTimeout(done, 20))
    rows = await countRows()
    bar.tick(rows)
  }
  const total = (performance.now() - started) / 1000
  bar.done()
  await server.close()
  const signals = batches * BATCH
  console.log(
    `Ingested: ${signals} signals in ${total.toFixed(2)}s (${Math.round(signals / total)} signals/s)`,
  )
  console.log(
    `Posted (HTTP + enqueue): ${posted.toFixed(2)}s (${Math.round(signals / posted)} signals/s, ` +
      `${Math.round(batches / posted)} batches/s, ${posters} concurrent posters)`,
  )
  console.log(
    `Details: ${batches} batches of ${BATCH}; worker concurrency ${workerConcurrency}; ` +
      `postgres ${postgres.source}, redis ${redisServer.source}; schema ${schema}`,
  )
} finally {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM')
    await once(worker, 'exit')
  }
  const steps = [
    () => queue.queue.obliterate({ force: true }),
    () => queue.close(),
    () => connection.quit(),
    () => pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
    () => pool.end(),
    () => redisServer.stop(),
    () => postgres.stop(),
  ]
  for (const step of steps) await step().catch((err: Error) => console.error(err.message))
}
