/**
 * @module
 * Fair rate limits behind a proxy, measured: clients on their own loopback
 * addresses call the gateway (`analytics.topDesigns`, which the edge serves
 * from core) through a reverse proxy that appends their address to
 * `X-Forwarded-For`, as an ingress or CloudFront does. One abusive client
 * sends 10x the limit; the others send exactly their limit. Two set-ups:
 *
 * - `before`: the edge trusts no proxy and has no service key (the deployed
 *   behaviour before issue #22): every client is the proxy's address at the
 *   edge and the edge's address at core, so the abuser uses up everyone's limit;
 * - `after`: `TRUST_PROXY` names the proxy and `EDGE_SERVICE_KEY` is set on
 *   both: each client has its own bucket, counted once, at the edge.
 *
 *   npx tsx scripts/benchmark_rate_limit.ts [--limit 120] [--seconds 20] [--clients 4]
 *
 * Prints `<setup>: well-behaved clients accepted A/S, abusive client accepted B/T`
 * per set-up, then a table per client. Core runs in this process on real
 * PostgreSQL (its own `bench_rate_limit` schema) and Redis (its own key
 * prefix, deleted at the end).
 */
import { randomBytes } from 'node:crypto'
import { Agent, createServer, type IncomingMessage, request, type Server } from 'node:http'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { analyticsRoutes } from '../core/analytics/routes.ts'
import { createAnalyticsStore } from '../core/analytics/store.ts'
import { pgSql } from '../core/edge-host/adapters/pg-sql.ts'
import { createCoreApp } from '../core/http/app.ts'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { listen } from '../core/platform/http/listen.ts'
import { createLogger } from '../core/platform/logger.ts'
import { ioredisRateLimitStore } from '../core/rate-limit/index.ts'
import { memoryCache } from '../edge/adapters/index.ts'
import { createEdgeApp } from '../edge/app.ts'
import { parseTrustProxy } from '../edge/identity/index.ts'
import { createScoreService } from '../edge/score/index.ts'
import { positiveWholeNumbers } from './bench/args.ts'
import { resolvePostgres, resolveRedis } from './dev/embedded/index.ts'

const { values } = parseArgs({
  options: {
    limit: { type: 'string', default: '120' },
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '4' },
  },
})
const { limit, seconds, clients } = positiveWholeNumbers(values, ['limit', 'seconds', 'clients'])
if (seconds > 60 || clients < 2 || clients > 200) {
  // Past one window a well-behaved client's count would straddle two; one client is no comparison.
  process.stderr.write('--seconds must be at most 60 and --clients from 2 to 200\n')
  process.exit(2)
}

const SCHEMA = 'bench_rate_limit'
const PROXY = '127.0.0.1'
const SERVICE_KEY = randomBytes(24).toString('base64url')
const logger = createLogger({ service: 'bench', level: 'silent' })
const PATH = `/trpc/analytics.topDesigns?input=${encodeURIComponent('{}')}`

interface Client {
  name: string
  /** The loopback address it connects from. */
  address: string
  perSecond: number
  sent: number
  accepted: number
  limited: number
  other: number
}

/** A reverse proxy to `target` that appends each peer to X-Forwarded-For. */
async function startProxy(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = new URL(target)
  const agent = new Agent({ keepAlive: true })
  const server: Server = createServer((req: IncomingMessage, res) => {
    const peer = req.socket.remoteAddress ?? ''
    const prior = req.headers['x-forwarded-for']
    const headers = { ...req.headers, 'x-forwarded-for': prior ? `${prior}, ${peer}` : peer }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    forward.on('error', () => res.writeHead(502).end())
    req.pipe(forward)
  })
  await new Promise<void>((done) => server.listen(0, PROXY, done))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://${PROXY}:${port}`,
    close: () =>
      new Promise((done) => {
        agent.destroy()
        server.close(() => done())
        server.closeAllConnections()
      }),
  }
}

/** GET `PATH` through the proxy from `client.address`; resolves with the status. */
function call(proxyUrl: string, client: Client, agent: Agent): Promise<number> {
  const { hostname, port } = new URL(proxyUrl)
  return new Promise((done) => {
    const req = request(
      { host: hostname, port, path: PATH, localAddress: client.address, agent },
      (res) => {
        res.resume()
        res.on('end', () => done(res.statusCode ?? 0))
      },
    )
    req.on('error', () => done(0))
    req.end()
  })
}

/** Every client at its own steady rate for `seconds`, with a progress line each second. */
async function drive(label: string, proxyUrl: string, all: Client[]): Promise<void> {
  const agents = all.map((client) => new Agent({ keepAlive: true, localAddress: client.address }))
  const pending: Promise<void>[] = []
  const started = performance.now()
  const ticker = setInterval(() => {
    const elapsed = Math.round((performance.now() - started) / 1000)
    const line = all.map((c) => `${c.name} ${c.accepted}/${c.sent}`).join(', ')
    process.stderr.write(`${label} ${elapsed}s/${seconds}s: accepted/sent ${line}\n`)
  }, 1000)
  await Promise.all(
    all.map(async (client, i) => {
      const total = client.perSecond * seconds
      for (let n = 0; n < total; n++) {
        // Open loop: the n-th request leaves at its time, whatever earlier ones are doing.
        const due = started + (n * 1000) / client.perSecond
        const wait = due - performance.now()
        if (wait > 0) await new Promise((done) => setTimeout(done, wait))
        client.sent++
        pending.push(
          call(proxyUrl, client, agents[i]!).then((status) => {
            if (status === 429) client.limited++
            else if (status === 200) client.accepted++
            else client.other++
          }),
        )
      }
    }),
  )
  await Promise.all(pending)
  clearInterval(ticker)
  for (const agent of agents) agent.destroy()
}

/** Runs one set-up on fresh buckets; returns the clients' tallies and the keys each service used. */
async function run(
  setup: 'before' | 'after',
  pool: ReturnType<typeof createPool>,
  redisUrl: string,
) {
  const prefix = `bench:rate-limit:${randomBytes(4).toString('hex')}:`
  const redis = new Redis(redisUrl, { keyPrefix: prefix })
  const closers: (() => Promise<unknown>)[] = []
  try {
    const rateLimit = { store: ioredisRateLimitStore(redis), limit }
    const after = setup === 'after'
    const core = createCoreApp({
      logger,
      observe: () => {},
      apiKeys: [],
      rateLimit,
      routes: [analyticsRoutes(createAnalyticsStore(pool))],
      ...(after ? { edgeServiceKey: SERVICE_KEY } : {}),
    })
    const coreServer = await listen(core, 0, '127.0.0.1')
    closers.push(coreServer.close)
    const db = pgSql(pool)
    const edge = createEdgeApp({
      logger,
      observe: () => {},
      score: createScoreService({ db, cache: memoryCache(), ttlSeconds: 60 }),
      db,
      coreUrl: `http://127.0.0.1:${coreServer.port}`,
      rateLimit,
      ...(after ? { trustProxy: parseTrustProxy(PROXY), serviceKey: SERVICE_KEY } : {}),
    })
    const edgeServer = await listen(edge, 0, '127.0.0.1')
    closers.push(edgeServer.close)
    const proxy = await startProxy(`http://127.0.0.1:${edgeServer.port}`)
    closers.push(proxy.close)

    const perSecond = limit / 60
    const all: Client[] = Array.from({ length: clients }, (_, i) => ({
      name: i === 0 ? 'abusive' : `client-${i}`,
      address: `127.0.0.${11 + i}`,
      perSecond: i === 0 ? perSecond * 10 : perSecond,
      sent: 0,
      accepted: 0,
      limited: 0,
      other: 0,
    }))
    await drive(setup, proxy.url, all)
    const keys = async (service: string) =>
      (await redis.keys(`${prefix}rl:${service}:*`)).map((k) => k.slice(prefix.length))
    return { all, edgeKeys: await keys('edge'), coreKeys: await keys('core') }
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {})
    const stale = await redis.keys(`${prefix}*`)
    // KEYS answers full names; DEL would prefix them again, so strip the prefix.
    if (stale.length) await redis.del(...stale.map((k) => k.slice(prefix.length)))
    redis.disconnect()
  }
}

const dataDir = resolve(import.meta.dirname, '../.data')
const postgres = await resolvePostgres(process.env.DATABASE_URL, dataDir)
const redisServer = await resolveRedis(process.env.REDIS_URL, dataDir)
const pool = createPool({ url: postgres.url, schema: SCHEMA, size: 8, name: 'bench-rate-limit' })
try {
  await migrate(pool, { schema: SCHEMA })
  console.log(
    `limit ${limit}/min per client; ${clients - 1} well-behaved clients at ${limit}/min, one abusive at ${limit * 10}/min; ${seconds} s each`,
  )
  const results = []
  for (const setup of ['before', 'after'] as const) {
    results.push({ setup, ...(await run(setup, pool, redisServer.url)) })
  }
  for (const { setup, all } of results) {
    const [abuser, ...good] = all as [Client, ...Client[]]
    const goodAccepted = good.reduce((sum, c) => sum + c.accepted, 0)
    const goodSent = good.reduce((sum, c) => sum + c.sent, 0)
    console.log(
      `${setup}: well-behaved clients accepted ${goodAccepted}/${goodSent}, abusive client accepted ${abuser.accepted}/${abuser.sent}`,
    )
  }
  for (const { setup, all, edgeKeys, coreKeys } of results) {
    console.log(`\n${setup}`)
    console.log(
      `${'client'.padEnd(10)} ${'address'.padEnd(12)} ${'rate/min'.padStart(8)} ${'sent'.padStart(6)} ${'accepted'.padStart(8)} ${'429'.padStart(6)} ${'other'.padStart(6)}`,
    )
    for (const c of all) {
      console.log(
        `${c.name.padEnd(10)} ${c.address.padEnd(12)} ${String(Math.round(c.perSecond * 60)).padStart(8)} ${String(c.sent).padStart(6)} ${String(c.accepted).padStart(8)} ${String(c.limited).padStart(6)} ${String(c.other).padStart(6)}`,
      )
    }
    console.log(`edge buckets: ${edgeKeys.sort().join(', ') || 'none'}`)
    console.log(`core buckets: ${coreKeys.sort().join(', ') || 'none'}`)
  }
} finally {
  await pool.end().catch(() => {})
  await postgres.stop().catch(() => {})
  await redisServer.stop().catch(() => {})
}
