/**
 * @module
 * `npm start`: the whole stack on one machine with nothing configured.
 * Takes PostgreSQL and Redis in DESIGN.md's order (saying which), migrates,
 * starts each service as its own process, waits until all are ready, prints
 * where everything is and `ready in N.Ns`, and stops everything on Ctrl-C.
 */
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { loadConfigOrExit } from '../core/platform/config/index.ts'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { countSignals, DEMO_TOPICS, seedAnalytics, seedSignals } from './dev/demo-data/index.ts'
import { type ResolvedServer, resolvePostgres, resolveRedis } from './dev/embedded/index.ts'
import { launchStack, type Stack } from './dev-stack/stack.ts'

const started = performance.now()
const DATA_DIR = resolve(import.meta.dirname, '../.data')
/** Small enough to seed in a second or two. */
const DEMO_SIGNALS = 20_000
const DEMO_EVENTS = 50_000
const config = loadConfigOrExit()
const servers: ResolvedServer[] = []
let stack: Stack | undefined
const say = (line: string) => process.stdout.write(`${line}\n`)
const step = (line: string) => say(`• ${line}`)

let stopping = false
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    say('\nstopping…')
    await stack?.stop()
    for (const server of servers.reverse()) await server.stop().catch(() => {})
  }
  process.exit(code)
}
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

async function main(): Promise<void> {
  step('PostgreSQL…')
  const postgres = await resolvePostgres(config.DATABASE_URL, DATA_DIR)
  servers.push(postgres)
  step(`PostgreSQL: ${postgres.source}`)
  const redis = await resolveRedis(config.REDIS_URL, DATA_DIR)
  servers.push(redis)
  step(`Redis: ${redis.source}`)

  const pool = createPool({ url: postgres.url, size: 2, name: 'start' })
  try {
    const applied = await migrate(pool)
    step(`migrations: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`)
    if ((await countSignals(pool)) === 0) {
      const added = await seedSignals(pool, { count: DEMO_SIGNALS, seed: 1 })
      step(`demo data: ${added} signals`)
    }
    if (Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n) === 0) {
      await seedAnalytics(pool, { designs: 50, events: DEMO_EVENTS, seed: 1 })
      step(`demo data: ${DEMO_EVENTS} storefront events on 50 designs`)
    }
  } finally {
    await pool.end()
  }

  // A dev key when none is configured, so the printed examples work as they are.
  const generatedKey = process.env.API_KEYS
    ? undefined
    : `dev:${randomBytes(18).toString('base64url')}`
  const apiKeys = process.env.API_KEYS || generatedKey!
  const secret = apiKeys.split(',')[0]!.split(':').slice(1).join(':')
  stack = await launchStack({
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    apiKeys,
    storageDir: resolve(DATA_DIR, 'mockups'),
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    corePort: config.PORT ?? 3000,
    // Our private Redis keeps an append-only file; a REDIS_URL of the user's
    // may not (the shared test Redis): accept it unless they say otherwise.
    env: {
      ...(config.REDIS_URL
        ? { QUEUE_REDIS_ALLOW_VOLATILE: process.env.QUEUE_REDIS_ALLOW_VOLATILE || 'true' }
        : {}),
      // The generated dev key opens bull-board (/admin/queues); given keys name their admins.
      ...(generatedKey ? { ADMIN_KEYS: 'dev' } : {}),
    },
    onStart: (name) => step(`starting ${name}…`),
    onOutput: say,
  })
  await stack.ready()
  const { coreUrl: core, edgeUrl, specs } = stack

  const scoreUrl = `${edgeUrl}/score?topic=${encodeURIComponent(DEMO_TOPICS[0]!)}`
  const first = await fetch(scoreUrl)
  const second = await fetch(scoreUrl)
  const score = (await second.json()) as { score: number }

  step('mock-up: "shirt design" on a shirt…')
  const mockup = await makeMockup(core, secret)

  say('')
  say(`${'service'.padEnd(8)}${'url'.padEnd(28)}metrics`)
  for (const spec of specs) {
    say(`${spec.name.padEnd(8)}${spec.url.padEnd(28)}http://127.0.0.1:${spec.metricsPort}/metrics`)
  }
  say('edge clients: Upstash REST and Neon, through local bridges (the deployed code path)')
  say('')
  say(
    `score:   "${DEMO_TOPICS[0]}" = ${score.score} ` +
      `(X-Cache ${first.headers.get('X-Cache')} then ${second.headers.get('X-Cache')})`,
  )
  say(`         ${scoreUrl}`)
  say(`mock-up: ${resolve(DATA_DIR, 'mockups', mockup.id, 'mockup.png')}`)
  say(
    `         ${core}/mockups/${mockup.id}/image.png  (${mockup.provider}, ${mockup.timings.total} ms)`,
  )
  say('')
  say(`console: ${edgeUrl}/  (enter the API key there)`)
  say(`API key: ${generatedKey ? generatedKey.split(':')[1] : '(the first of API_KEYS)'}`)
  say(`try:     curl -H "Authorization: Bearer <key>" ${core}/mockups`)
  say('')
  say(`ready in ${((performance.now() - started) / 1000).toFixed(1)}s  (Ctrl-C stops everything)`)
}

/** Submits the demo mock-up and waits until the GPU worker has made it. */
async function makeMockup(core: string, secret: string) {
  const auth = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }
  const res = await fetch(`${core}/mockups`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ prompt: 'shirt design', product: 'shirt', seed: 1 }),
  })
  if (res.status !== 202)
    throw new Error(`POST /mockups answered ${res.status}: ${await res.text()}`)
  const { id } = (await res.json()) as { id: string }
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    const m = (await (await fetch(`${core}/mockups/${id}`, { headers: auth })).json()) as {
      id: string
      status: string
      error: string | null
      provider: string
      timings: { total: number }
    }
    if (m.status === 'completed') return m
    if (m.status === 'failed') throw new Error(`the demo mock-up failed: ${m.error}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('the demo mock-up did not finish within 120 s')
}

main().catch(async (err: Error) => {
  process.stderr.write(`npm start failed: ${err.message}\n`)
  await stop(1)
})
