/**
 * @module
 * The edge app on Node for the edge runtime benchmark, in one of two stacks:
 * - `bridged`: exactly what Deno and workerd run (`buildEdgeApp`: Upstash and
 *   Neon clients, configured by the same variables);
 * - `direct`: the same score service on ioredis and pg (`REDIS_URL`,
 *   `DATABASE_URL`, `DB_SCHEMA`), as `npm run edge` wires it.
 * Both log with the edge console logger and observe nothing, so only the
 * clients differ. Prints `listening <port>` once serving.
 *
 *   node --import tsx scripts/edge/node-server.ts <bridged|direct> <port>
 */
import { ioredisCache } from '../../core/edge-host/adapters/ioredis-cache.ts'
import { pgSql } from '../../core/edge-host/adapters/pg-sql.ts'
import { createPool } from '../../core/platform/db/index.ts'
import { listen } from '../../core/platform/http/listen.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { createEdgeApp } from '../../edge/app.ts'
import type { KeyValueCache } from '../../edge/cache/index.ts'
import { loadEdgeConfig } from '../../edge/config/index.ts'
import { buildEdgeApp } from '../../edge/entry/build.ts'
import { createConsoleLogger } from '../../edge/log/index.ts'
import { createScoreService, scoreSettings } from '../../edge/score/index.ts'

const [mode, port] = process.argv.slice(2)
if ((mode !== 'bridged' && mode !== 'direct') || !port) {
  process.stderr.write('usage: node-server.ts <bridged|direct> <port>\n')
  process.exit(2)
}

function directApp() {
  const { REDIS_URL, DATABASE_URL, DB_SCHEMA } = process.env
  if (!REDIS_URL || !DATABASE_URL) throw new Error('direct mode needs REDIS_URL and DATABASE_URL')
  // The edge variables (TTL, L1, prefix, log level) apply to both stacks alike.
  const config = loadEdgeConfig({ ...process.env, EDGE_CACHE: 'memory' })
  const logger = createConsoleLogger({
    level: config.LOG_LEVEL,
    bindings: { service: 'edge', runtime: 'node' },
  })
  const redis = ioredisCache(createRedis(REDIS_URL, { role: 'cache', name: 'bench-edge' }))
  const prefix = config.SCORE_CACHE_PREFIX
  const cache: KeyValueCache = {
    get: (key) => redis.get(prefix + key),
    set: (key, value, ttl) => redis.set(prefix + key, value, ttl),
    claim: (key, ttlMs) => redis.claim(prefix + key, ttlMs),
  }
  const pool = createPool({ url: DATABASE_URL, schema: DB_SCHEMA, size: 5, name: 'bench-edge' })
  const score = createScoreService({
    db: pgSql(pool),
    cache,
    ...scoreSettings(config),
    onError: (err, where) => logger.warn({ err, where }, 'score dependency failed'),
  })
  return createEdgeApp({ logger, observe: () => {}, score })
}

const app = mode === 'bridged' ? buildEdgeApp(process.env, { runtime: 'node' }) : directApp()
const server = await listen(app, Number(port), '127.0.0.1')
process.stdout.write(`listening ${server.port}\n`)
process.once('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
})
