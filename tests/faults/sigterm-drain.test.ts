/**
 * SIGTERM drains: the ingestion worker and the GPU worker finish the job in
 * hand, the edge host the request in flight, then exit 0 (the core cluster's
 * drain is in tests/cluster).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePrometheusText } from '../../core/platform/metrics/exposition.ts'
import { createMockupRecords } from '../../core/platform/mockups/index.ts'
import { type MockupJob, QUEUE_NAMES, QueueProducer } from '../../core/platform/queue/index.ts'
import { writeTinySdModelSet } from '../../gpu-worker/sd/index.ts'
import { freePort } from '../../scripts/dev/embedded/index.ts'
import {
  completedJob,
  createIngestionHarness,
  type IngestionHarness,
  signal,
} from '../ingestion/harness.ts'
import { testRedisUrl } from '../support/env.ts'
import { startTcpProxy } from '../support/tcp-proxy.ts'
import { waitFor } from '../support/wait.ts'

const ROOT = resolve(import.meta.dirname, '../..')
let h: IngestionHarness
let dir: string
const children = new Set<ChildProcess>()

beforeAll(async () => {
  h = await createIngestionHarness('sigterm', {
    settings: { lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
  })
  dir = await mkdtemp(join(tmpdir(), 'sigterm-'))
  await chmod(dir, 0o755)
})
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  await h.cleanup()
  await rm(dir, { recursive: true, force: true })
})

function spawnEntry(entry: string, env: Record<string, string>): ChildProcess {
  const url = new URL(h.schema.url)
  url.searchParams.set('options', `-c search_path=${h.schema.schema}`)
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: h.settings.prefix,
      METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

describe('SIGTERM', () => {
  it('Should let the ingestion worker finish its batch, then exit 0', async () => {
    const res = await h.postSignals(Array.from({ length: 200 }, (_, i) => signal(i)))
    const { jobId } = (await res.json()) as { jobId: string }
    // The worker holds the job 1.5 s after its insert: SIGTERM arrives mid-job.
    const worker = spawnEntry('core/ingestion/worker-main.ts', {
      INGEST_TEST_HOLD_MS: '1500',
      INGEST_CONCURRENCY: '1',
    })
    await waitFor(
      async () => ((await h.countRows()) === 200 ? true : undefined),
      'the insert',
      30_000,
    )
    expect(await h.queue.getJobState(jobId)).toBe('active')
    worker.kill('SIGTERM')
    const [code] = (await once(worker, 'exit')) as [number | null]
    expect(code).toBe(0)
    const job = await completedJob(h.queue, jobId)
    expect(job.returnvalue).toEqual({ received: 200, inserted: 200 })
  })

  it('Should let the GPU worker finish its mock-up, then exit 0', async () => {
    await writeTinySdModelSet(join(dir, 'model'), { seed: 5 })
    const records = createMockupRecords(h.pool)
    const producer = new QueueProducer<MockupJob, unknown>(QUEUE_NAMES.mockups, {
      connection: h.connection,
      settings: h.settings,
    })
    try {
      const worker = spawnEntry('gpu-worker/main.ts', {
        MODEL_DIR: join(dir, 'model'),
        MOCKUP_STORAGE_DIR: join(dir, 'images'),
      })
      // Big enough to still be running when SIGTERM arrives.
      const job: MockupJob = {
        mockupId: crypto.randomUUID(),
        prompt: 'drain test',
        product: 'mug',
        seed: 1,
        steps: 50,
        width: 1024,
        height: 1024,
      }
      await records.insert({ id: job.mockupId, ...job, submittedBy: 'test' })
      await producer.add('mockup', job, { jobId: job.mockupId })
      await waitFor(
        async () => ((await records.get(job.mockupId))?.status === 'running' ? true : undefined),
        'the mock-up to start',
        60_000,
      )
      worker.kill('SIGTERM')
      const [code] = (await once(worker, 'exit')) as [number | null]
      expect(code).toBe(0)
      expect(await records.get(job.mockupId)).toMatchObject({ status: 'completed', attempts: 1 })
    } finally {
      await producer.queue.obliterate({ force: true }).catch(() => {})
      await producer.close()
    }
  })

  it('Should let the edge host answer the request in flight, then exit 0', async () => {
    // The edge reaches PostgreSQL through a proxy the test can stall.
    const proxy = await startTcpProxy(Number(new URL(h.schema.url).port || 5432))
    const [port, metricsPort] = [await freePort(), await freePort()]
    const db = new URL(h.schema.url)
    db.port = String(proxy.port)
    db.searchParams.set('options', `-c search_path=${h.schema.schema}`)
    try {
      const edge = spawnEntry('core/edge-host/main.ts', {
        DATABASE_URL: db.toString(),
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        SCORE_L1_TTL_MS: '0',
        RATE_LIMIT_PER_MINUTE: '0',
      })
      const base = `http://127.0.0.1:${port}`
      await waitFor(
        () =>
          fetch(`${base}/healthz`).then(
            (r) => (r.ok ? true : undefined),
            () => undefined,
          ),
        'the edge host to listen',
        30_000,
      )
      proxy.stall()
      const answer = fetch(`${base}/score?topic=${encodeURIComponent(`drain ${Date.now()}`)}`)
      // In flight: the score query holds a pool connection, stalled at the proxy.
      const inUse = async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
        const samples = parsePrometheusText(text).get('db_pool_in_use')?.samples ?? []
        return samples.some((s) => s.value > 0) ? true : undefined
      }
      await waitFor(inUse, 'the score query to be in flight', 30_000)
      edge.kill('SIGTERM')
      const exited = once(edge, 'exit') as Promise<[number | null]>
      proxy.resume()
      const res = await answer
      expect(res.status).toBe(200)
      expect(res.headers.get('X-Cache')).toBe('MISS')
      const [code] = await exited
      expect(code).toBe(0)
    } finally {
      await proxy.close()
    }
  })
})
