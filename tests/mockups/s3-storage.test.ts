/**
 * Mock-ups with their images in an S3-compatible bucket (a local s3rver, no
 * shared folder): a real GPU worker process (tiny SD model set, CPU) writes
 * the images to the bucket, core's image route answers a 302 to a presigned
 * URL that really serves them, and the edge's image proxy passes that
 * redirect on instead of following it. Then the bucket is cut off: core's
 * image route answers 503 JSON, the worker reports itself not ready and its
 * job fails as retryable with `storage_failed`, and nothing crashes.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Hono } from 'hono'
import type pg from 'pg'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import { mockupRoutes } from '../../core/mockups/routes.ts'
import { loadConfig } from '../../core/platform/config/index.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { type Listening, listen } from '../../core/platform/http/listen.ts'
import { createMockupRecords } from '../../core/platform/mockups/index.ts'
import {
  type MockupJob,
  QUEUE_NAMES,
  QueueProducer,
  queueSettings,
} from '../../core/platform/queue/index.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { createMockupStorage } from '../../core/platform/storage/index.ts'
import { parseApiKeys } from '../../edge/auth/index.ts'
import { errorHandler, notFoundHandler } from '../../edge/errors/index.ts'
import { mockupImageRoutes } from '../../edge/mockups/index.ts'
import { writeTinySdModelSet } from '../../gpu-worker/sd/index.ts'
import { freePort } from '../../scripts/dev/embedded/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'
import { memoryLogger } from '../support/logs.ts'
import { type LocalS3, startLocalS3 } from '../support/s3.ts'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts'
import { waitFor } from '../support/wait.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const SECRET = 'mockups-s3-test-secret-0123'
const AUTH = { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' }
const prefix = `test-mockups-s3-${Math.random().toString(36).slice(2, 8)}`
const connection = createRedis(testRedisUrl(), { role: 'queue', name: 'mockups-s3-test' })
const settings = queueSettings({ prefix, attempts: 2, backoffDelayMs: 100 })

let schema: TestSchema
let pool: pg.Pool
let dir: string
let s3: LocalS3
/** Core and the worker reach the bucket through this, so it can be cut off. */
let s3Proxy: TcpProxy
let producer: QueueProducer<MockupJob, unknown>
let core: Listening
let coreUrl: string
let edge: Hono
let worker: ChildProcess
let workerReadyz: string

/** The S3 settings both services get: the bucket behind the proxy, under this file's prefix. */
const storageEnv = () => ({ ...s3.env(prefix), MOCKUP_STORAGE_ENDPOINT: s3Proxy.url('http') })

interface Readiness {
  ready: boolean
  checks: Record<string, { ok: boolean; error?: string }>
}
const readiness = async () => {
  const res = await fetch(workerReadyz)
  return { status: res.status, body: (await res.json()) as Readiness }
}

/** Queues a mock-up through core's API; resolves with its id. */
async function submit(prompt: string): Promise<string> {
  const res = await fetch(`${coreUrl}/mockups`, {
    method: 'POST',
    headers: AUTH,
    body: JSON.stringify({ prompt, product: 'mug', seed: 5, steps: 2, width: 64, height: 64 }),
  })
  expect(res.status).toBe(202)
  return ((await res.json()) as { id: string }).id
}

/** Waits for a mock-up to finish; resolves with its API view. */
function finished(id: string) {
  return waitFor(
    async () => {
      const res = await fetch(`${coreUrl}/mockups/${id}`, { headers: AUTH })
      const body = (await res.json()) as Record<string, unknown>
      return body.status === 'completed' || body.status === 'failed' ? body : undefined
    },
    `mock-up ${id} to finish`,
    60_000,
  )
}

beforeAll(async () => {
  schema = await createTestSchema('mockups_s3')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 4, name: 'mockups_s3_test' })
  await migrate(pool, { schema: schema.schema })
  dir = await mkdtemp(join(tmpdir(), 'mockups-s3-'))
  await writeTinySdModelSet(join(dir, 'model'), { seed: 3 })
  s3 = await startLocalS3()
  s3Proxy = await startTcpProxy(s3.port)
  producer = new QueueProducer(QUEUE_NAMES.mockups, { connection, settings })

  const coreApp = createCoreApp({
    logger: memoryLogger(),
    observe: () => {},
    apiKeys: parseApiKeys(`test:${SECRET}`),
    routes: [
      mockupRoutes({
        records: createMockupRecords(pool),
        queue: producer,
        storage: createMockupStorage(loadConfig(storageEnv())),
      }),
    ],
  })
  core = await listen(coreApp, 0, '127.0.0.1')
  coreUrl = `http://127.0.0.1:${core.port}`
  edge = new Hono()
  edge.onError(errorHandler({ error: () => {} }))
  edge.notFound(notFoundHandler)
  mockupImageRoutes(edge, { coreUrl })

  const metricsPort = await freePort()
  workerReadyz = `http://127.0.0.1:${metricsPort}/readyz`
  const db = new URL(schema.url)
  db.searchParams.set('options', `-c search_path=${schema.schema}`)
  worker = spawn(process.execPath, ['--import', 'tsx', 'gpu-worker/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      ...storageEnv(),
      DATABASE_URL: db.toString(),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      MODEL_DIR: join(dir, 'model'),
      // Set, to show that nothing is written there while a bucket is configured.
      MOCKUP_STORAGE_DIR: join(dir, 'images'),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'error',
    },
  })
  await waitFor(
    async () => ((await fetch(workerReadyz).catch(() => null))?.ok ? true : undefined),
    'the GPU worker to be ready',
    60_000,
  )
})

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM')
    await once(worker, 'exit')
  }
  await producer?.queue.obliterate({ force: true }).catch(() => {})
  await producer?.close()
  connection.disconnect()
  await core?.close()
  await s3Proxy?.close()
  await s3?.close()
  await pool?.end()
  await schema?.drop()
  await rm(dir, { recursive: true, force: true })
})

describe('mock-up images in S3-compatible storage', () => {
  it('Should report the bucket among the GPU worker readiness checks', async () => {
    const { status, body } = await readiness()
    expect(status).toBe(200)
    expect(body.checks['mockup-storage']).toMatchObject({ ok: true })
  })

  it('Should store the images in the bucket and redirect to presigned URLs that serve them', async () => {
    const id = await submit('bucket design')
    expect(await finished(id)).toMatchObject({
      status: 'completed',
      attempts: 1,
      images: { png: `/mockups/${id}/image.png`, webp: `/mockups/${id}/image.webp` },
    })

    for (const format of ['png', 'webp'] as const) {
      const res = await fetch(`${coreUrl}/mockups/${id}/image.${format}`, { redirect: 'manual' })
      expect(res.status).toBe(302)
      expect(res.headers.get('Cache-Control')).toBe('private, max-age=450')
      const location = new URL(res.headers.get('Location') ?? '')
      expect(location.pathname).toBe(`/${s3.bucket}/${prefix}/${id}/mockup.${format}`)
      expect(location.searchParams.get('X-Amz-Expires')).toBe('900')

      const image = await fetch(location)
      expect(image.status).toBe(200)
      expect(image.headers.get('Content-Type')).toBe(`image/${format}`)
      expect(image.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
      const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata()
      expect(meta).toMatchObject({ format, width: 1024, height: 1024 })
    }
    // No shared folder: the worker wrote nothing to MOCKUP_STORAGE_DIR.
    await expect(readdir(join(dir, 'images'))).rejects.toMatchObject({ code: 'ENOENT' })

    // The edge passes core's redirect on; following it gives the same image.
    const viaEdge = await edge.request(`/mockups/${id}/image.png`)
    expect(viaEdge.status).toBe(302)
    const followed = await fetch(viaEdge.headers.get('Location') ?? '')
    expect(followed.status).toBe(200)
    expect((await sharp(Buffer.from(await followed.arrayBuffer())).metadata()).format).toBe('png')
  })

  it('Should answer 404, not a redirect, for a mock-up with no images', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000'
    const res = await fetch(`${coreUrl}/mockups/${unknown}/image.png`, { redirect: 'manual' })
    expect(res.status).toBe(404)
    expect((await edge.request(`/mockups/${unknown}/image.png`)).status).toBe(404)
  })

  it('Should degrade while the bucket is down: 503 images, a not-ready worker, a retryable job failure', async () => {
    const done = await submit('before the outage')
    expect(await finished(done)).toMatchObject({ status: 'completed' })
    s3Proxy.cut()
    try {
      const res = await fetch(`${coreUrl}/mockups/${done}/image.png`, { redirect: 'manual' })
      expect(res.status).toBe(503)
      expect(res.headers.get('Retry-After')).toBe('5')
      const { error } = (await res.json()) as { error: { code: string; message: string } }
      expect(error.code).toBe('storage_unavailable')
      expect(error.message).not.toContain(s3.bucket)
      // The edge turns core's 503 into its own 502, as for any failure of core.
      expect((await edge.request(`/mockups/${done}/image.png`)).status).toBe(502)

      const { status, body } = await readiness()
      expect(status).toBe(503)
      expect(body.checks['mockup-storage']).toMatchObject({ ok: false })

      // Stored on every attempt, failed on every attempt: retried, then failed with its code.
      const lost = await submit('during the outage')
      expect(await finished(lost)).toMatchObject({
        status: 'failed',
        errorCode: 'storage_failed',
        attempts: 2,
        images: null,
      })
      expect(worker.exitCode).toBeNull()
    } finally {
      s3Proxy.resume()
    }
    await waitFor(
      async () => ((await readiness()).status === 200 ? true : undefined),
      'the GPU worker to be ready again',
    )
    expect(
      (await fetch(`${coreUrl}/mockups/${done}/image.png`, { redirect: 'manual' })).status,
    ).toBe(302)
  })
})
