/**
 * Profiling of jobs through `createWorker`, on a real BullMQ worker and the
 * shared Redis: a job that completes, one that fails, and one that fails once
 * then completes each write one `job` line per attempt and one
 * `job_duration_seconds` observation, read back through the exposition parser.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { Queue } from 'bullmq'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../core/platform/logger.ts'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import {
  createWorker,
  type JobLogEntry,
  queueSettings,
  type StartedWorker,
} from '../../core/platform/queue/index.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { testRedisUrl } from '../support/env.ts'
import { waitFor } from '../support/wait.ts'

const QUEUE = 'profiled'
const SLOW_MS = 60
const settings = queueSettings({ prefix: `test-jobprof-${randomUUID().slice(0, 8)}` })
const connection = createRedis(testRedisUrl(), { role: 'queue', name: 'test-jobprof' })
const queue = new Queue(QUEUE, { connection, prefix: settings.prefix })

// The service logger as every process has it, writing into memory.
const written: string[] = []
const logger = createLogger({
  service: 'test-jobs',
  destination: { write: (line: string) => void written.push(line) },
})
const jobLines = () =>
  written
    .map((line) => JSON.parse(line) as JobLogEntry & { msg: string; level: number })
    .filter((line) => line.msg === 'job')

const registry = new Registry()
let started: StartedWorker<unknown, string>

beforeAll(async () => {
  started = createWorker<unknown, string>(
    QUEUE,
    async (job) => {
      if (job.name === 'bad') throw new Error('bad data')
      if (job.name === 'flaky' && job.attemptsMade === 0) throw new Error('first try fails')
      await sleep(SLOW_MS)
      return 'done'
    },
    { redisUrl: testRedisUrl(), settings, concurrency: 1, name: 'test-jobprof', logger, registry },
  )
  // One after another, so each attempt's duration is its own.
  await queue.add('slow', {}, { jobId: 'slow-1' })
  await queue.add('bad', {}, { jobId: 'bad-1' })
  await queue.add('flaky', {}, { jobId: 'flaky-1', attempts: 2 })
  await waitFor(async () => (jobLines().length >= 4 ? true : undefined), 'four job lines')
})

afterAll(async () => {
  const steps = [
    () => started.close(),
    () => queue.obliterate({ force: true }),
    () => queue.close(),
    () => connection.quit(),
  ]
  for (const step of steps) await step().catch(() => {})
})

describe('job profiling', () => {
  it('Should log one line per attempt with queue, name, status, duration and attempt', () => {
    const lines = jobLines()
    expect(
      lines.map(({ name, jobId, status, attempt }) => ({ name, jobId, status, attempt })),
    ).toEqual([
      { name: 'slow', jobId: 'slow-1', status: 'completed', attempt: 1 },
      { name: 'bad', jobId: 'bad-1', status: 'failed', attempt: 1 },
      { name: 'flaky', jobId: 'flaky-1', status: 'failed', attempt: 1 },
      { name: 'flaky', jobId: 'flaky-1', status: 'completed', attempt: 2 },
    ])
    for (const line of lines) {
      expect(line).toMatchObject({ level: 30, service: 'test-jobs', queue: QUEUE })
      expect(line.durationMs).toBeGreaterThanOrEqual(0)
    }
    // Timers may fire a little early against Date.now(); the sleep is the floor.
    expect(lines[0]!.durationMs).toBeGreaterThanOrEqual(SLOW_MS - 5)
  })

  it('Should observe job_duration_seconds by queue, name and status', async () => {
    const families = parsePrometheusText(await registry.metrics())
    expect(families.get('job_duration_seconds')?.type).toBe('histogram')
    const count = (name: string, status: string) =>
      sampleValue(families, 'job_duration_seconds_count', { queue: QUEUE, name, status })
    expect(count('slow', 'completed')).toBe(1)
    expect(count('bad', 'failed')).toBe(1)
    expect(count('bad', 'completed')).toBeUndefined()
    expect(count('flaky', 'failed')).toBe(1)
    expect(count('flaky', 'completed')).toBe(1)

    // The log line and the histogram carry the same measurement.
    const slow = { queue: QUEUE, name: 'slow', status: 'completed' }
    const logged = jobLines()[0]!.durationMs / 1000
    expect(sampleValue(families, 'job_duration_seconds_sum', slow)).toBeCloseTo(logged, 9)
    expect(sampleValue(families, 'job_duration_seconds_bucket', { ...slow, le: '0.025' })).toBe(0)
    expect(sampleValue(families, 'job_duration_seconds_bucket', { ...slow, le: '600' })).toBe(1)
  })
})
