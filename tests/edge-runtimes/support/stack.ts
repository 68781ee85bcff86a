/**
 * @module
 * Everything the edge runtimes talk to in a test file: a private schema with
 * signals, the Neon bridge to it, an Upstash bridge to the shared test Redis
 * (keys kept apart by `SCORE_CACHE_PREFIX`), and a second Upstash bridge to a
 * private `redis-server` that a test may stop (the shared one never is).
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { createPool, migrate } from '../../../core/platform/db/index.ts'
import { insertSignals, type SignalRow } from '../../../core/signals/index.ts'
import {
  type NeonBridge,
  startNeonBridge,
  startUpstashBridge,
  type UpstashBridge,
} from '../../../scripts/dev/bridges/index.ts'
import { type PrivateRedis, startPrivateRedis } from '../../../scripts/dev/embedded/index.ts'
import { bridgedEdgeEnv, detachedCoreEnv } from '../../../scripts/edge/env.ts'
import { createTestSchema, type TestSchema } from '../../support/db.ts'
import { testRedisUrl } from '../../support/env.ts'
import { createTestRedis, type TestRedis } from '../../support/redis.ts'

/** The running stack. */
export interface EdgeTestStack {
  /** The shared test Redis under this file's prefix (to look at what the apps stored). */
  redis: TestRedis
  /** Env of an app on the shared Redis; `keyPrefix` is appended to this file's prefix. */
  sharedEnv(keyPrefix: string, extra?: Record<string, string>): Record<string, string>
  /** Env of an app on the private Redis, which {@link stopPrivateRedis} takes down. */
  privateEnv(keyPrefix: string, extra?: Record<string, string>): Record<string, string>
  stopPrivateRedis(): Promise<void>
  /** Stops and removes everything; every step runs even if one fails. */
  close(): Promise<void>
}

/** Starts the stack with `rows` in a fresh schema. */
export async function startEdgeTestStack(label: string, rows: SignalRow[]): Promise<EdgeTestStack> {
  const cleanups: (() => Promise<void>)[] = []
  const close = async () => {
    const results = await Promise.allSettled(cleanups.reverse().map((step) => step()))
    const failed = results.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
  }
  try {
    const schema: TestSchema = await createTestSchema(label)
    cleanups.push(schema.drop)
    const pool: pg.Pool = createPool({
      url: schema.url,
      schema: schema.schema,
      size: 2,
      name: label,
    })
    cleanups.push(() => pool.end())
    await migrate(pool, { schema: schema.schema })
    await insertSignals(pool, rows)

    const redis = createTestRedis(label)
    cleanups.push(redis.cleanup)
    const dir = await mkdtemp(join(tmpdir(), `${label}-`))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const privateRedis: PrivateRedis = await startPrivateRedis({ dir })
    cleanups.push(privateRedis.stop)

    const token = randomUUID()
    const shared: UpstashBridge = await startUpstashBridge({
      redisUrl: testRedisUrl(),
      token,
    })
    cleanups.push(shared.close)
    const isolated: UpstashBridge = await startUpstashBridge({ redisUrl: privateRedis.url, token })
    cleanups.push(isolated.close)
    const neon: NeonBridge = await startNeonBridge({ allow: [schema.url] })
    cleanups.push(neon.close)

    const envOn =
      (upstash: UpstashBridge) =>
      (keyPrefix: string, extra: Record<string, string> = {}) =>
        bridgedEdgeEnv({
          upstash,
          token,
          neon,
          databaseUrl: schema.url,
          schema: schema.schema,
          extra: {
            ...detachedCoreEnv(),
            SCORE_CACHE_PREFIX: `${redis.prefix}${keyPrefix}`,
            ...extra,
          },
        })
    return {
      redis,
      sharedEnv: envOn(shared),
      privateEnv: envOn(isolated),
      stopPrivateRedis: () => privateRedis.stop(),
      close,
    }
  } catch (error) {
    await close().catch(() => {})
    throw error
  }
}
