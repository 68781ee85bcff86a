/**
 * Mock-ups end to end on the real servers: core's API queues a job, a real
 * GPU worker process (tiny SD model set, CPU) generates, composites and
 * stores it, and the API serves the finished record and images. Also the
 * API's validation and auth, and a 503 with nothing left behind when Redis
 * cannot take the job.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Hono } from 'hono'
import type pg from 'pg'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import { mockupRoutes } from '../../core/mockups/routes.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import { createMockupRecords } from '../../core/platform/mockups/index.ts'
import {
  type MockupJob,
  QUEUE_NAMES,
  QueueProducer,
  queueSettings,
} from '../../core/platform/queue/index.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { createFsMockupStorage } from '../../core/platform/storage/index.ts'
import { parseApiKeys } from '../../edge/auth/index.ts'
import { writeTinySdModelSet } from '../../gpu-worker/sd/index.ts'
import { freePort } from '../../scripts/dev/embedded/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'
import { memoryLogger } from '../support/logs.ts'
import { startTcpProxy } from '../support/tcp-proxy.ts'
import { waitFor } from '../support/wait.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const SECRET = 'mockups-test-secret-0123'
const AUTH = { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' }
let schema: TestSchema
let pool: pg.Pool
let dir: string
let app: Hono
let worker: ChildProcess
let workerMetrics: string
let producer: QueueProducer<MockupJob, unknown>
const prefix = `test-mockups-${Math.random().toString(36).slice(2, 8)}`
const connection = createRedis(testRedisUrl(), { role: 'queue', name: 'mockups-test' })
const settings = queueSettings({ prefix, attempts: 2, backoffDelayMs: 100 })

function appWith(queue: QueueProducer<MockupJob, unknown>) {
  return createCoreApp({
    logger: memoryLogger(),
    observe: () => {},
    apiKeys: parseApiKeys(`test:${SECRET}`),
    routes: [
      mockupRoutes({
        records: createMockupRecords(pool),
        queue,
        storage: createFsMockupStorage({ root: join(dir, 'images') }),
      }),
    ],
  })
}

const post = (hono: Hono, body: unknown, headers: Record<string, string> = AUTH) =>
  hono.request('/mockups', { method: 'POST', headers, body: JSON.stringify(body) })

beforeAll(async () => {
  schema = await createTestSchema('mockups')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 4, name: 'mockups_test' })
  await migrate(pool, { schema: schema.schema })
  dir = await mkdtemp(join(tmpdir(), 'mockups-'))
  await chmod(dir, 0o755)
  await writeTinySdModelSet(join(dir, 'model'), { seed: 3 })
  producer = new QueueProducer(QUEUE_NAMES.mockups, { connection, settings })
  app = appWith(producer)
  const metricsPort = await freePort()
  workerMetrics = `http://127.0.0.1:${metricsPort}/metrics`
  const db = new URL(schema.url)
  db.searchParams.set('options', `-c search_path=${schema.schema}`)
  worker = spawn(process.execPath, ['--import', 'tsx', 'gpu-worker/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: db.toString(),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      MODEL_DIR: join(dir, 'model'),
      MOCKUP_STORAGE_DIR: join(dir, 'images'),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'warn',
    },
  })
  await waitFor(
    async () =>
      (await fetch(workerMetrics.replace('/metrics', '/readyz')).catch(() => null))?.ok
        ? true
        : undefined,
    'the GPU worker to be ready',
    60_000,
  )
})

afterAll(async () => {
  if (worker.exitCode === null) {
    worker.kill('SIGTERM')
    await once(worker, 'exit')
  }
  await producer.queue.obliterate({ force: true }).catch(() => {})
  await producer.close()
  connection.disconnect()
  await pool.end()
  await schema.drop()
  await rm(dir, { recursive: true, force: true })
})

describe('mock-up API', () => {
  it('Should refuse requests without a valid key', async () => {
    expect(
      (await post(app, { prompt: 'x', product: 'mug' }, { 'Content-Type': 'application/json' }))
        .status,
    ).toBe(401)
    expect((await app.request('/mockups')).status).toBe(401)
  })

  it.each([
    [{ product: 'mug' }, 'prompt', /prompt is required/],
    [{ prompt: '   ', product: 'mug' }, 'prompt', /must not be empty/],
    [{ prompt: 'x'.repeat(501), product: 'mug' }, 'prompt', /at most 500 characters/],
    [{ prompt: 'cats\u0000', product: 'mug' }, 'prompt', /control characters/],
    [{ prompt: 'cats', product: 'sofa' }, 'product', /product must be one of shirt, mug, poster/],
    [
      { prompt: 'cats', product: 'mug', steps: 0 },
      'steps',
      /steps must be a whole number from 1 to 50/,
    ],
    [{ prompt: 'cats', product: 'mug', steps: 51 }, 'steps', /from 1 to 50/],
    [{ prompt: 'cats', product: 'mug', width: 100 }, 'width', /multiple of 8/],
    [{ prompt: 'cats', product: 'mug', height: 2048 }, 'height', /multiple of 8 from 64 to 1024/],
    [{ prompt: 'cats', product: 'mug', seed: -1 }, 'seed', /seed must be a whole number/],
  ])('Should refuse %j with 400 naming %s', async (body, field, message) => {
    const res = await post(app, body)
    expect(res.status).toBe(400)
    const { error } = (await res.json()) as {
      error: { message: string; details: { field: string } }
    }
    expect(error.details.field).toBe(field)
    expect(error.message).toMatch(message)
  })

  it('Should generate, composite and store a mock-up through the queue', async () => {
    const res = await post(app, {
      prompt: 'shirt design',
      product: 'shirt',
      seed: 7,
      steps: 3,
      width: 256,
      height: 256,
    })
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: string }
    expect(res.headers.get('Location')).toBe(`/mockups/${id}`)
    const done = await waitFor(
      async () => {
        const body = (await (
          await app.request(`/mockups/${id}`, { headers: AUTH })
        ).json()) as Record<string, unknown>
        return body.status === 'completed' || body.status === 'failed' ? body : undefined
      },
      'the mock-up to finish',
      60_000,
    )
    expect(done).toMatchObject({
      id,
      status: 'completed',
      progress: 100,
      prompt: 'shirt design',
      product: 'shirt',
      seed: 7,
      steps: 3,
      width: 256,
      height: 256,
      provider: 'cpu',
      attempts: 1,
      error: null,
      images: { png: `/mockups/${id}/image.png`, webp: `/mockups/${id}/image.webp` },
    })
    const timings = done.timings as Record<string, number>
    // Tokenizing a short prompt can round to 0.00 ms; every other stage runs a model or sharp.
    expect(timings.tokenize).toBeGreaterThanOrEqual(0)
    for (const stage of ['text_encoder', 'unet', 'vae', 'composite', 'encode', 'total']) {
      // Each took real time, and none more than the whole.
      expect(timings[stage]).toBeGreaterThan(0)
      expect(timings[stage]).toBeLessThanOrEqual(timings.total as number)
    }

    const png = await app.request(`/mockups/${id}/image.png`)
    expect(png.status).toBe(200)
    expect(png.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    const meta = await sharp(Buffer.from(await png.arrayBuffer())).metadata()
    expect(meta).toMatchObject({ format: 'png', width: 1024, height: 1024 })
    const webp = await app.request(`/mockups/${id}/image.webp`)
    expect((await sharp(Buffer.from(await webp.arrayBuffer())).metadata()).format).toBe('webp')

    const list = (await (await app.request('/mockups?limit=5', { headers: AUTH })).json()) as {
      items: { id: string }[]
    }
    expect(list.items.map((m) => m.id)).toContain(id)

    const families = parsePrometheusText(await (await fetch(workerMetrics)).text())
    expect(sampleValue(families, 'mockup_generation_seconds_count', { stage: 'unet' })).toBe(1)
    expect(sampleValue(families, 'gpu_slot_acquire_total')).toBe(1)
    expect(sampleValue(families, 'gpu_slots_in_use')).toBe(0)
    // No GPU here: the GPU gauges are absent, not zero.
    expect(families.get('gpu_utilization_percent')?.samples ?? []).toEqual([])
  })

  it('Should answer 404 for unknown mock-ups and images, and 400 for a bad id', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000'
    expect((await app.request(`/mockups/${unknown}`, { headers: AUTH })).status).toBe(404)
    expect((await app.request(`/mockups/${unknown}/image.png`)).status).toBe(404)
    expect((await app.request('/mockups/not-an-id', { headers: AUTH })).status).toBe(400)
    expect((await app.request('/mockups/../../etc/passwd/image.png')).status).toBe(404)
  })

  it('Should answer 503 and keep no row when Redis cannot take the job', async () => {
    const proxy = await startTcpProxy(Number(new URL(testRedisUrl()).port || 6379))
    const cutConnection = createRedis(proxy.through(testRedisUrl()), {
      role: 'queue',
      name: 'mockups-cut',
    })
    const cutQueue = new QueueProducer<MockupJob, unknown>(QUEUE_NAMES.mockups, {
      connection: cutConnection,
      settings: queueSettings({ prefix, addTimeoutMs: 300 }),
    })
    try {
      await once(cutConnection, 'ready')
      proxy.cut()
      const before = (await pool.query('SELECT count(*)::int AS n FROM mockups')).rows[0].n
      const res = await post(appWith(cutQueue), { prompt: 'lost job', product: 'mug' })
      expect(res.status).toBe(503)
      expect(res.headers.get('Retry-After')).toBe('5')
      expect((await pool.query('SELECT count(*)::int AS n FROM mockups')).rows[0].n).toBe(before)
    } finally {
      await cutQueue.close().catch(() => {})
      cutConnection.disconnect()
      await proxy.close()
    }
  })
})
