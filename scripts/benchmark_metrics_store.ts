/**
 * @module
 * The seed's metrics store benchmark: `--runs` single inserts with a new
 * connection per metric (unpooled), the same with the store's kept-open
 * connection (pooled), then batched inserts (`recordMany`).
 *
 *   npx tsx scripts/benchmark_metrics_store.ts --runs 500 [--backend postgres|sqlite]
 *     [--url postgres://...] [--batch-rows 100000] [--batch-size 10000]
 *
 * Prints `Unpooled: X.XXs` and `Pooled: X.XXs` first (as the seed does), then
 * the batched rate and the ratios. PostgreSQL (the default) runs in a schema
 * of its own, `bench_metrics_<random>`, on `--url`, else `METRICS_STORE_URL`
 * or `DATABASE_URL` (a postgres one), else a private cluster in `.data/`; the
 * schema is dropped at the end. SQLite runs on a temporary file. Production
 * tables are never touched.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { type MetricRow, type MetricsStore, openMetricsStore } from '../core/optimization/index.ts'
import { progress } from './bench/progress.ts'
import { resolvePostgres } from './dev/embedded/index.ts'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '500' },
    backend: { type: 'string', default: 'postgres' },
    url: { type: 'string' },
    'batch-rows': { type: 'string', default: '100000' },
    'batch-size': { type: 'string', default: '10000' },
  },
})

const runs = Number(args.runs)
const batchRows = Number(args['batch-rows'])
const batchSize = Number(args['batch-size'])
for (const [name, value] of [
  ['--runs', runs],
  ['--batch-rows', batchRows],
  ['--batch-size', batchSize],
] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`)
}
if (args.backend !== 'postgres' && args.backend !== 'sqlite') {
  throw new Error('--backend must be postgres or sqlite')
}
const WARM_UP = 10
const METRIC = 'bench_latency_ms'

/** Where the benchmark's store lives and how to remove it. */
interface Target {
  url: string
  schema?: string
  label: string
  remove: () => Promise<void>
}

async function postgresTarget(): Promise<Target> {
  const configured = [args.url, process.env.METRICS_STORE_URL, process.env.DATABASE_URL].find(
    (url) => url && /^postgres(ql)?:\/\//.test(url),
  )
  const server = await resolvePostgres(configured, resolve(import.meta.dirname, '../.data'))
  const schema = `bench_metrics_${randomUUID().slice(0, 8)}`
  const drop = async () => {
    const client = new pg.Client({ connectionString: server.url })
    await client.connect()
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`)
    } finally {
      await client.end()
    }
  }
  return {
    url: server.url,
    schema,
    label: `postgres (${server.source}, schema ${schema})`,
    remove: async () => {
      await drop().catch((err: Error) => console.error(`could not drop ${schema}: ${err.message}`))
      await server.stop()
    },
  }
}

async function sqliteTarget(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-metrics-'))
  return {
    url: `sqlite:${join(dir, 'metrics.db')}`,
    label: `sqlite (${dir}/metrics.db, WAL)`,
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}

const tags = (i: number) => ({ variant: i % 2 ? 'a' : 'b', experiment: 'bench' })

/** Times `runs` sequential `record` calls (after an untimed warm-up); seconds. */
async function timeSingles(store: MetricsStore, label: string): Promise<number> {
  for (let i = 0; i < WARM_UP; i++) await store.record(METRIC, i, tags(i))
  const bar = progress(label, runs)
  const start = performance.now()
  for (let i = 0; i < runs; i++) {
    await store.record(METRIC, Math.random() * 100, tags(i))
    if (i % 25 === 0) bar.tick(i)
  }
  const seconds = (performance.now() - start) / 1000
  bar.done()
  return seconds
}

async function timeBatches(store: MetricsStore): Promise<number> {
  const bar = progress('batched', batchRows)
  const start = performance.now()
  for (let done = 0; done < batchRows; done += batchSize) {
    const rows: MetricRow[] = Array.from(
      { length: Math.min(batchSize, batchRows - done) },
      (_, i) => ({
        name: METRIC,
        value: Math.random() * 100,
        tags: tags(i),
      }),
    )
    await store.recordMany(rows)
    bar.tick(done + rows.length)
  }
  const seconds = (performance.now() - start) / 1000
  bar.done()
  return seconds
}

const target = args.backend === 'postgres' ? await postgresTarget() : await sqliteTarget()
const stores: MetricsStore[] = []
try {
  const open = async (pooled: boolean) => {
    const store = await openMetricsStore(target.url, {
      pooled,
      ...(target.schema ? { schema: target.schema } : {}),
    })
    stores.push(store)
    return store
  }
  if (target.schema) {
    // The migrations create this schema's `metrics` table.
    await (await openMetricsStore(target.url, { schema: target.schema, migrate: true })).close()
  }
  const unpooled = await timeSingles(await open(false), 'unpooled')
  const pooledStore = await open(true)
  const pooled = await timeSingles(pooledStore, 'pooled')
  const batched = await timeBatches(pooledStore)
  const [all] = await pooledStore.query(METRIC, new Date(0), new Date('9999-01-01T00:00:00Z'))

  console.log(`Unpooled: ${unpooled.toFixed(2)}s`)
  console.log(`Pooled: ${pooled.toFixed(2)}s`)
  const rate = batchRows / batched
  console.log(
    `Batched: ${batchRows} rows in ${batched.toFixed(2)}s (${Math.round(rate)} rows/s, recordMany of ${batchSize})`,
  )
  console.log(`Pooled vs unpooled: ${(unpooled / pooled).toFixed(1)}x faster`)
  console.log(
    `Batched vs pooled single inserts (per row): ${(rate / (runs / pooled)).toFixed(1)}x faster`,
  )
  console.log(
    `Details: ${args.backend} at ${target.label}; ${runs} runs each (after ${WARM_UP} untimed); ` +
      `per insert ${((unpooled / runs) * 1000).toFixed(2)} ms unpooled, ${((pooled / runs) * 1000).toFixed(2)} ms pooled; ` +
      `rows stored ${all?.count ?? 0}`,
  )
} finally {
  for (const store of stores) await store.close().catch(() => {})
  await target.remove()
}
