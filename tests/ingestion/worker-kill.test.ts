/**
 * A worker process SIGKILLed mid-job (after its insert, before completing):
 * the job's lock expires, another worker picks it up, and every row is in the
 * table exactly once. The worker runs as `npm run worker:ingest` does, with
 * `INGEST_TEST_HOLD_MS` holding the job open after its insert.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testRedisUrl } from '../support/env.ts'
import { waitFor } from '../support/wait.ts'
import { completedJob, createIngestionHarness, type IngestionHarness, signal } from './harness.ts'

let h: IngestionHarness
const children = new Set<ChildProcess>()

beforeAll(async () => {
  h = await createIngestionHarness('signals_kill', {
    settings: { lockDurationMs: 2000, stalledIntervalMs: 500 },
  })
})
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  await h.cleanup()
})

/** Starts `core/ingestion/worker-main.ts` on this file's schema and queue prefix. */
function spawnWorker(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const url = new URL(h.schema.url)
  url.searchParams.set('options', `-c search_path=${h.schema.schema}`)
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/ingestion/worker-main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: h.settings.prefix,
      QUEUE_LOCK_DURATION_MS: String(h.settings.lockDurationMs),
      QUEUE_STALLED_INTERVAL_MS: String(h.settings.stalledIntervalMs),
      INGEST_CONCURRENCY: '1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  return { child, output: () => output }
}

describe('worker killed mid-job', () => {
  it('Should pick the job up again after its lock expires, with every row once', async () => {
    const batch = Array.from({ length: 500 }, (_, i) => signal(i, i % 2 ? { id: `k-${i}` } : {}))
    const res = await h.postSignals(batch)
    const { jobId } = (await res.json()) as { jobId: string }

    const first = spawnWorker({ INGEST_TEST_HOLD_MS: '600000' })
    // Mid-job: the rows are written, the job is still active (held).
    await waitFor(
      async () => ((await h.countRows()) === 500 ? true : undefined),
      `the first worker's insert (worker output: ${first.output()})`,
      30_000,
    )
    expect(await h.queue.getJobState(jobId)).toBe('active')
    first.child.kill('SIGKILL')
    const [, signalName] = (await once(first.child, 'exit')) as [number | null, string | null]
    expect(signalName).toBe('SIGKILL')

    const second = spawnWorker({})
    try {
      const job = await completedJob(h.queue, jobId)
      expect(job.returnvalue).toEqual({ received: 500, inserted: 0 })
      expect(job.attemptsMade).toBe(1)
      expect(await h.countRows()).toBe(500)
      const { rows } = await h.pool.query<{ n: string }>(
        'SELECT count(DISTINCT dedupe_key) AS n FROM signals',
      )
      expect(Number(rows[0]?.n)).toBe(500)
    } finally {
      second.child.kill('SIGTERM')
      const [code] = (await once(second.child, 'exit')) as [number | null]
      expect(code, second.output()).toBe(0)
    }
  })
})
