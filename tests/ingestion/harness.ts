/**
 * @module
 * What every ingestion test file needs: its own schema (migrated), its own
 * BullMQ key prefix, a core app with the signal routes, and a cleanup that
 * obliterates the queue and closes every connection.
 */
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import {
  createSignalQueue,
  type SignalQueue,
  signalRoutes,
  startIngestionWorker,
} from '../../core/ingestion/index.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { createLogger } from '../../core/platform/logger.ts'
import {
  type QueueSettings,
  type QueueSettingsOptions,
  queueSettings,
  type StartedWorker,
} from '../../core/platform/queue/index.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'
import { waitFor } from '../support/wait.ts'

export const SECRET = 'ingestion-test-secret-0123'
export const AUTH = { Authorization: `Bearer ${SECRET}` }
export const silentLogger = createLogger({ service: 'test', level: 'silent' })

/** A test file's ingestion setup. */
export interface IngestionHarness {
  schema: TestSchema
  pool: pg.Pool
  settings: QueueSettings
  queue: SignalQueue
  /** The producer's Redis connection. */
  connection: Redis
  app: ReturnType<typeof createCoreApp>
  /** POSTs `{ signals }` with the test key. */
  postSignals: (signals: unknown[], headers?: Record<string, string>) => Promise<Response>
  /** Rows in this file's `signals` table. */
  countRows: () => Promise<number>
  cleanup: () => Promise<void>
}

/** Short timings, so retries and stalled jobs happen within a test. */
export const FAST: QueueSettingsOptions = {
  attempts: 5,
  backoffDelayMs: 50,
  lockDurationMs: 2000,
  stalledIntervalMs: 500,
  addTimeoutMs: 1000,
}

/** Creates the schema, queue and app; `redisUrl` lets a fault test go through a proxy. */
export async function createIngestionHarness(
  label: string,
  options: { redisUrl?: string; settings?: QueueSettingsOptions } = {},
): Promise<IngestionHarness> {
  const schema = await createTestSchema(label)
  const pool = createPool({ url: schema.url, schema: schema.schema, size: 4, name: label })
  await migrate(pool, { schema: schema.schema })
  const settings = queueSettings({
    prefix: `test-${label}-${randomUUID().slice(0, 8)}`,
    ...FAST,
    ...options.settings,
  })
  const connection = createRedis(options.redisUrl ?? testRedisUrl(), {
    role: 'queue',
    name: `test-${label}`,
  })
  const queue = createSignalQueue(connection, settings)
  // Until the connection is ready the producer answers 503 (tested apart).
  await queue.queue.waitUntilReady()
  const app = createCoreApp({
    logger: silentLogger,
    observe: () => {},
    apiKeys: [{ name: 'tester', tenant: 'tester', secret: SECRET }],
    routes: [signalRoutes({ queue, db: pool })],
  })
  return {
    schema,
    pool,
    settings,
    queue,
    connection,
    app,
    postSignals: (signals, headers = AUTH) =>
      Promise.resolve(
        app.request('/signals', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: JSON.stringify({ signals }),
        }),
      ),
    countRows: async () => {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM signals')
      return Number(rows[0]?.n ?? 0)
    },
    cleanup: async () => {
      // Every step runs even when one fails (a test may have broken the connection).
      const steps = [
        () => queue.queue.obliterate({ force: true }),
        () => queue.close(),
        () => connection.quit(),
        () => pool.end(),
        () => schema.drop(),
      ]
      for (const step of steps) await step().catch(() => {})
      connection.disconnect()
    },
  }
}

/** A valid signal; `n` makes it unique. */
export function signal(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    topic: `Retro  Cats ${n % 7}`,
    product: n % 3 === 0 ? undefined : 'mug',
    source: 'etsy',
    metric: 'sales',
    value: n,
    observedAt: new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString(),
    ...extra,
  }
}

/** Waits until job `id` is completed, then reads it (state first: the hash may lag). */
export async function completedJob(queue: SignalQueue, id: string) {
  await waitFor(
    async () => ((await queue.queue.getJobState(id)) === 'completed' ? true : undefined),
    `job ${id} to complete`,
  )
  const job = await queue.getJob(id)
  if (!job) throw new Error(`job ${id} vanished`)
  return job
}

/** An in-process ingestion worker on the harness's queue and schema. */
export function startHarnessWorker(
  h: IngestionHarness,
  concurrency?: number,
): StartedWorker<unknown, unknown> {
  return startIngestionWorker({
    redisUrl: testRedisUrl(),
    db: h.pool,
    settings: h.settings,
    ...(concurrency === undefined ? {} : { concurrency }),
    logger: silentLogger,
  }) as StartedWorker<unknown, unknown>
}

/** A harness and its worker, set by {@link useWorkerHarness} before the file's tests run. */
export interface WorkerHarness {
  h: IngestionHarness
  worker: StartedWorker<unknown, unknown>
}

/** Creates a harness and an in-process worker before a file's tests, closes both after. */
export function useWorkerHarness(label: string, concurrency?: number): WorkerHarness {
  // Filled in by beforeAll, before any test reads it.
  const set = {} as WorkerHarness
  beforeAll(async () => {
    set.h = await createIngestionHarness(label)
    set.worker = startHarnessWorker(set.h, concurrency)
  })
  afterAll(async () => {
    await set.worker?.close()
    await set.h?.cleanup()
  })
  return set
}
