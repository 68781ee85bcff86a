/**
 * benchmark_score_job on a real Redis: the scheduler is stored with its cron,
 * its jobs reach the worker (one at a time), a bad payload is not retried,
 * and a bad cron is refused naming BENCHMARK_CRON. Most tests replace the
 * benchmark with a recording runner; one runs the real job against a real
 * edge app and finds its row in score_benchmarks. Without BENCHMARK_SCORE_URL
 * the job is not scheduled, and says why.
 */
import { randomUUID } from 'node:crypto'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, test } from 'vitest'
import {
  BENCHMARK_SCHEDULER_ID,
  type BenchmarkScheduler,
  startBenchmarkScheduler,
} from '../../core/benchmarks/index.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { QUEUE_NAMES, queueSettings } from '../../core/platform/queue/index.ts'
import { testRedisUrl } from '../support/env.ts'
import { waitFor } from '../support/wait.ts'
import { startScoreEdge } from './support/score-edge.ts'

const logger = createLogger({ service: 'benchmark-scheduler-test', level: 'silent' })
const cleanups: (() => Promise<unknown>)[] = []

afterEach(async () => {
  // Every step runs even when one fails, so no keys are left behind.
  const results = []
  for (const cleanup of cleanups.splice(0).reverse()) results.push(await cleanup().catch((e) => e))
  expect(results.filter((r) => r instanceof Error)).toEqual([])
})

/** A unique BullMQ prefix whose keys are deleted after the test. */
function testSettings() {
  const prefix = `test-bench-${randomUUID().slice(0, 8)}`
  cleanups.push(async () => {
    const admin = new Redis(testRedisUrl())
    const keys = await admin.keys(`${prefix}:*`)
    if (keys.length) await admin.del(...keys)
    admin.disconnect()
  })
  return queueSettings({ prefix, stalledIntervalMs: 1000, lockDurationMs: 5000 })
}

function start(options: Parameters<typeof startBenchmarkScheduler>[0]): BenchmarkScheduler {
  const scheduler = startBenchmarkScheduler(options)
  cleanups.push(() => scheduler.close())
  return scheduler
}

function queueOf(prefix: string) {
  const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null })
  const queue = new Queue(QUEUE_NAMES.benchmarks, { connection, prefix })
  cleanups.push(async () => {
    await queue.close()
    connection.disconnect()
  })
  return queue
}

describe('startBenchmarkScheduler', () => {
  test('Should store benchmark_score_job and run its jobs one at a time', async () => {
    const settings = testSettings()
    let running = 0
    let most = 0
    const calls: number[] = []
    const scheduler = start({
      redisUrl: testRedisUrl(),
      settings,
      logger,
      // Every second, so the test sees two jobs quickly.
      cron: '* * * * * *',
      runs: 7,
      runScore: async (runs) => {
        running++
        most = Math.max(most, running)
        calls.push(runs)
        await new Promise((resolve) => setTimeout(resolve, 1500))
        running--
        return { uncached: { totalS: 2 }, cached: { totalS: 0.1 }, speedup: 20 }
      },
    })
    await scheduler.ready
    const queue = queueOf(settings.prefix)
    const stored = await queue.getJobScheduler(BENCHMARK_SCHEDULER_ID)
    expect(stored).toMatchObject({ pattern: '* * * * * *', tz: 'UTC' })
    expect(stored?.template?.data).toEqual({ benchmark: 'score', runs: 7 })

    const completed = await waitFor(async () => {
      const jobs = await queue.getJobs(['completed'])
      return jobs.length >= 2 ? jobs : undefined
    }, 'two completed benchmark jobs')
    expect(completed[0]?.returnvalue).toEqual({
      benchmark: 'score',
      runs: 7,
      uncachedS: 2,
      cachedS: 0.1,
      speedup: 20,
    })
    expect(calls.every((runs) => runs === 7)).toBe(true)
    // Concurrency 1: a benchmark never measures next to another one.
    expect(most).toBe(1)
  })

  test('Should keep one scheduler when several processes upsert it', async () => {
    const settings = testSettings()
    const runScore = async () => ({ uncached: { totalS: 1 }, cached: { totalS: 1 }, speedup: 1 })
    const a = start({ redisUrl: testRedisUrl(), settings, logger, runScore })
    const b = start({ redisUrl: testRedisUrl(), settings, logger, runScore, cron: '30 4 * * *' })
    await Promise.all([a.ready, b.ready])
    const queue = queueOf(settings.prefix)
    expect(await queue.getJobSchedulersCount()).toBe(1)
    expect((await queue.getJobScheduler(BENCHMARK_SCHEDULER_ID))?.pattern).toMatch(
      /^(0 3|30 4) \* \* \*$/,
    )
  })

  test('Should fail a malformed job once, without retries', async () => {
    const settings = testSettings()
    let called = false
    const scheduler = start({
      redisUrl: testRedisUrl(),
      settings,
      logger,
      runScore: async () => {
        called = true
        return { uncached: { totalS: 1 }, cached: { totalS: 1 }, speedup: 1 }
      },
    })
    await scheduler.ready
    const queue = queueOf(settings.prefix)
    const job = await queue.add('benchmark_score', { benchmark: 'gpu', runs: 0 }, { attempts: 5 })
    const failed = await waitFor(async () => {
      const state = await job.getState()
      return state === 'failed' ? await queue.getJob(job.id!) : undefined
    }, 'the malformed job to fail')
    expect(failed?.attemptsMade).toBe(1)
    expect(failed?.failedReason).toMatch(/invalid benchmarks payload/)
    expect(called).toBe(false)
  })

  test('Should refuse a bad cron pattern naming BENCHMARK_CRON', () => {
    const settings = testSettings()
    for (const cron of ['0 27 * * *', 'nightly', '', '0 3 31 2 *']) {
      expect(() =>
        startBenchmarkScheduler({ redisUrl: testRedisUrl(), settings, logger, cron }),
      ).toThrow(/^BENCHMARK_CRON: /)
    }
  })

  test('Should time the configured edge and persist the run, seeding nothing', async () => {
    const edge = await startScoreEdge('bench_job')
    cleanups.push(() => edge.close())
    const signalCount = () =>
      edge.pool
        .query<{ n: number }>('SELECT count(*)::int AS n FROM signals')
        .then((r) => r.rows[0]?.n)
    const signalsBefore = await signalCount()
    const settings = testSettings()
    const scheduler = start({
      redisUrl: testRedisUrl(),
      settings,
      logger,
      cron: '* * * * * *',
      runs: 4,
      // 6 topics give 24 keys: the second run, a second later, finds 20 uncached.
      score: { url: edge.url, topics: edge.topics, db: edge.pool },
    })
    await scheduler.ready
    const queue = queueOf(settings.prefix)
    const [job] = await waitFor(async () => {
      const jobs = await queue.getJobs(['completed'])
      return jobs.length ? jobs : undefined
    }, 'a completed benchmark job')
    expect(job?.returnvalue).toMatchObject({ benchmark: 'score', runs: 4 })
    const { logs } = await queue.getJobLogs(job!.id!)
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Uncached: \d+\.\d\ds for 4 runs$/),
        expect.stringMatching(/^Cached: {3}\d+\.\d\ds for 4 runs$/),
        'persisted to score_benchmarks',
      ]),
    )
    const { rows } = await edge.pool.query(
      'SELECT runs, target, l1_total_s, git_commit, cached_p99_ms FROM score_benchmarks',
    )
    expect(rows[0]).toMatchObject({ runs: 4, target: edge.url, l1_total_s: null, git_commit: null })
    expect(rows[0].cached_p99_ms).toBeGreaterThan(0)
    // It measured the edge's data as it is: no rows added.
    expect(await signalCount()).toBe(signalsBefore)
  })

  test('Should not schedule the job without BENCHMARK_SCORE_URL, say why, and drop a stored one', async () => {
    const settings = testSettings()
    const runScore = async () => ({ uncached: { totalS: 1 }, cached: { totalS: 1 }, speedup: 1 })
    await start({ redisUrl: testRedisUrl(), settings, logger, runScore }).ready
    const queue = queueOf(settings.prefix)
    expect(await queue.getJobSchedulersCount()).toBe(1)

    const lines: string[] = []
    const recording = createLogger({
      service: 'benchmark-scheduler-test',
      destination: { write: (line: string) => void lines.push(line) },
    })
    const unset = { redisUrl: testRedisUrl(), settings, logger: recording }
    await start({ ...unset, score: {} }).ready
    expect(await queue.getJobSchedulersCount()).toBe(0)
    await start({ ...unset, score: { url: 'http://edge:8787' } }).ready
    const reasons = lines.map((line) => JSON.parse(line) as { level: number; msg: string })
    expect(reasons.filter((r) => r.level === 40).map((r) => r.msg)).toEqual([
      'BENCHMARK_SCORE_URL is unset: benchmark_score_job is not scheduled',
      'BENCHMARK_TOPICS is unset: benchmark_score_job is not scheduled',
    ])
  })

  test('Should refuse topics that give fewer keys than BENCHMARK_RUNS', () => {
    const settings = testSettings()
    const score = { url: 'http://edge:8787', topics: ['retro cats', 'Retro  Cats'] }
    expect(() =>
      startBenchmarkScheduler({ redisUrl: testRedisUrl(), settings, logger, runs: 5, score }),
    ).toThrow('BENCHMARK_TOPICS: 1 topics give 4 distinct keys, fewer than BENCHMARK_RUNS (5)')
  })
})
