/**
 * @module
 * Sequential round trips through the local bridges against the same servers
 * reached directly: `@upstash/redis` via the Upstash bridge vs ioredis, and
 * `neon()` (HTTP) and the Neon `Pool` (WebSocket proxy) vs plain `pg`.
 *
 * Usage: `npx tsx scripts/benchmark_bridges.ts [--runs 500]`, with `REDIS_URL` and
 * `DATABASE_URL` (default: the test servers).
 */
import { randomUUID } from 'node:crypto'
import { neon, neonConfig, Pool } from '@neondatabase/serverless'
import { Redis as UpstashRedis } from '@upstash/redis'
import { Redis as IORedis } from 'ioredis'
import pg from 'pg'
import { configureNeonForBridge, startNeonBridge, startUpstashBridge } from './dev/bridges/index.ts'

const runsFlag = process.argv.indexOf('--runs')
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 500
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/15'
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Runs `op` sequentially (after a short warm-up) and prints round trips per second. */
async function measure(label: string, op: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(50, runs); i++) await op()
  const started = performance.now()
  for (let i = 0; i < runs; i++) await op()
  const seconds = (performance.now() - started) / 1000
  console.log(`${label.padEnd(44)} ${(runs / seconds).toFixed(0).padStart(6)}/s  (${runs} runs)`)
}

const token = randomUUID()
const key = `bench:${randomUUID()}`
const upstashBridge = await startUpstashBridge({ redisUrl, token })
const neonBridge = await startNeonBridge({ allow: [databaseUrl] })
configureNeonForBridge(neonConfig, neonBridge)
const upstash = new UpstashRedis({ url: upstashBridge.url, token, enableTelemetry: false })
const ioredis = new IORedis(redisUrl)
const sql = neon(databaseUrl)
const neonPool = new Pool({ connectionString: databaseUrl, max: 1 })
const pgClient = new pg.Client({ connectionString: databaseUrl })
await pgClient.connect()
await ioredis.set(key, 'value')

try {
  await measure('GET via @upstash/redis -> Upstash bridge', () => upstash.get(key))
  await measure('GET via ioredis, direct', () => ioredis.get(key))
  await measure('SELECT $1 via neon() -> SQL endpoint', () => sql`SELECT ${1}::int AS n`)
  await measure('SELECT $1 via Neon Pool -> WebSocket proxy', () =>
    neonPool.query('SELECT $1::int AS n', [1]),
  )
  await measure('SELECT $1 via pg, direct', () => pgClient.query('SELECT $1::int AS n', [1]))
} finally {
  await ioredis.del(key)
  ioredis.disconnect()
  await neonPool.end()
  await pgClient.end()
  await upstashBridge.close()
  await neonBridge.close()
}
