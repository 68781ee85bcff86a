/**
 * @module
 * A real edge app (the /score route, its service and cache) on a free port,
 * over a private schema of the test PostgreSQL and a key prefix of the test
 * Redis, with the L1 off so every repeat is a Redis HIT. What the score
 * benchmark engine measures, without starting a process.
 */
import type pg from 'pg'
import { ioredisCache } from '../../../core/edge-host/adapters/ioredis-cache.ts'
import { pgSql } from '../../../core/edge-host/adapters/pg-sql.ts'
import { createPool, migrate } from '../../../core/platform/db/index.ts'
import { listen } from '../../../core/platform/http/listen.ts'
import { createLogger } from '../../../core/platform/logger.ts'
import { createEdgeApp } from '../../../edge/app.ts'
import { createScoreService } from '../../../edge/score/index.ts'
import { DEMO_TOPICS, seedSignals } from '../../../scripts/dev/demo-data/index.ts'
import { createTestSchema } from '../../support/db.ts'
import { createTestRedis, type TestRedis } from '../../support/redis.ts'

/** A served edge and what it reads. */
export interface ScoreEdge {
  url: string
  /** The schema's pool (migrated; it holds `score_benchmarks` too). */
  pool: pg.Pool
  cache: TestRedis
  /** Topics with signals in the schema. */
  topics: readonly string[]
  close: () => Promise<void>
}

/** Starts the edge on `label`'s schema and prefix, with a few thousand demo signals. */
export async function startScoreEdge(label: string): Promise<ScoreEdge> {
  const schema = await createTestSchema(label)
  const pool = createPool({ url: schema.url, schema: schema.schema, size: 4, name: label })
  await migrate(pool, { schema: schema.schema })
  await seedSignals(pool, { count: 2000, seed: 7 })
  const cache = createTestRedis(label)
  const score = createScoreService({
    db: pgSql(pool),
    cache: ioredisCache(cache.redis),
    ttlSeconds: 60,
    l1: false,
  })
  const logger = createLogger({ service: label, level: 'silent' })
  const app = createEdgeApp({ logger, observe: () => {}, score })
  const served = await listen(app, 0, '127.0.0.1')
  return {
    url: `http://127.0.0.1:${served.port}`,
    pool,
    cache,
    topics: DEMO_TOPICS.slice(0, 6),
    close: async () => {
      await served.close()
      await cache.cleanup()
      await pool.end()
      await schema.drop()
    },
  }
}
