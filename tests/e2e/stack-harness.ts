/**
 * @module
 * The whole stack for one test file, started as `npm start` starts it (the
 * same `launchStack` from scripts/dev-stack/): core, edge, ingestion and GPU
 * workers as child processes on free ports, against the shared PostgreSQL (a
 * private schema, reached through `?options=-c search_path=...`) and Redis (a
 * private `QUEUE_PREFIX`), with the tiny SD model set. `close()` stops every
 * process (SIGKILL after a grace period) and removes what the file made.
 */
import { randomUUID } from 'node:crypto'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import type pg from 'pg'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { insertSignals } from '../../core/signals/index.ts'
import { writeTinySdModelSet } from '../../gpu-worker/sd/index.ts'
import { launchStack, type Stack } from '../../scripts/dev-stack/stack.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'

/** A running stack and what a test needs to talk to it. */
export interface TestStack {
  stack: Stack
  /** The API key's secret (`Authorization: Bearer <secret>`). */
  secret: string
  /** A topic with signals only in this stack's schema (so its first score is a MISS). */
  topic: string
  /** A pool on the stack's schema, for setup a test needs. */
  pool: pg.Pool
  /** What the services printed, for failure messages. */
  output: string[]
  close: () => Promise<void>
}

/** Starts the stack for the test file `label`. */
export async function startTestStack(label: string): Promise<TestStack> {
  const cleanups: (() => Promise<unknown>)[] = []
  const close = async () => {
    // Every step runs even if one fails: no process or schema is left behind.
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  }
  const output: string[] = []
  try {
    const schema: TestSchema = await createTestSchema(label)
    cleanups.push(() => schema.drop())
    const pool = createPool({ url: schema.url, schema: schema.schema, size: 2, name: label })
    cleanups.push(() => pool.end())
    await migrate(pool, { schema: schema.schema })
    const topic = `${label} owls ${randomUUID().slice(0, 8)}`
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000)
    await insertSignals(
      pool,
      ['etsy', 'pinterest', 'reddit', 'etsy'].map((source, i) => ({
        topic,
        product: i % 2 === 0 ? 'shirt' : null,
        source,
        metric: 'saves',
        value: 10 * (i + 1),
        observedAt: hoursAgo(1 + 30 * i),
      })),
    )

    const dir = await mkdtemp(join(tmpdir(), `${label}-`))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    await chmod(dir, 0o755)
    await writeTinySdModelSet(join(dir, 'model'), { seed: 3 })

    const db = new URL(schema.url)
    db.searchParams.set('options', `-c search_path=${schema.schema}`)
    const prefix = `test-${label}-${randomUUID().slice(0, 8)}`
    cleanups.push(() => deleteKeys(`${prefix}:*`))
    const secret = `${label}-secret-${randomUUID()}`
    const stack = await launchStack({
      databaseUrl: db.toString(),
      redisUrl: testRedisUrl(),
      apiKeys: `${label}:${secret}`,
      storageDir: join(dir, 'images'),
      ports: 'free',
      env: { QUEUE_PREFIX: prefix, MODEL_DIR: join(dir, 'model') },
      onOutput: (line) => output.push(line),
    })
    cleanups.push(() => stack.stop(5000))
    await stack.ready(60_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${output.join('\n')}`)
    })
    return { stack, secret, topic, pool, output, close }
  } catch (err) {
    await close()
    throw err
  }
}

/** Deletes this stack's queue keys (never FLUSHDB: other files share the database). */
async function deleteKeys(pattern: string): Promise<void> {
  const redis = new Redis(testRedisUrl())
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500)
      cursor = next
      if (keys.length) await redis.del(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}
