/**
 * @module
 * `benchmark_score_job`: a BullMQ job scheduler on the `benchmarks` queue
 * that adds a score-benchmark job on a cron pattern (`BENCHMARK_CRON`,
 * nightly by default), and the worker (one job at a time) that runs it
 * against the deployed edge (`BENCHMARK_SCORE_URL`, `BENCHMARK_TOPICS`).
 * Every core process may start one: upserting the scheduler is idempotent,
 * and each scheduled job is taken by exactly one worker. Without an edge to
 * measure the job is not scheduled (and a stored schedule is removed).
 */
import { Queue } from 'bullmq'
import type pg from 'pg'
import type { Registry } from 'prom-client'
import type { Logger } from '../platform/logger.ts'
import { cronProblem } from '../platform/queue/cron.ts'
import {
  type BenchmarkJob,
  createWorker,
  QUEUE_NAMES,
  type QueueSettings,
} from '../platform/queue/index.ts'
import { createRedis } from '../platform/redis/index.ts'
import { registerBenchmarkRegressionGauge } from './gauge.ts'
import {
  type BenchmarkJobResult,
  createBenchmarkProcessor,
  type LiveScoreTarget,
  liveScoreBenchmark,
  type ScoreBenchmarkRunner,
} from './processor.ts'
import type { RegressionOptions } from './regression.ts'
import { KEYS_PER_TOPIC, scoreQueries } from './score-queries.ts'

/** The scheduler's id in BullMQ (the seed's Dagster job name). */
export const BENCHMARK_SCHEDULER_ID = 'benchmark_score_job'

/** `BENCHMARK_CRON`'s default: 03:00 UTC every night. */
export const DEFAULT_BENCHMARK_CRON = '0 3 * * *'

/** Options of {@link startBenchmarkScheduler}. */
export interface BenchmarkSchedulerOptions {
  redisUrl: string
  settings: QueueSettings
  logger: Logger
  /** When to run (`BENCHMARK_CRON`). @defaultValue `'0 3 * * *'` */
  cron?: string
  /** Time zone the pattern is read in. @defaultValue `'UTC'` */
  timezone?: string
  /** Requests per pass of the benchmark. @defaultValue 100 */
  runs?: number
  /** Export `benchmark_regression` on this registry, read from `db`. */
  regressionGauge?: {
    registry: Registry
    db: Pick<pg.Pool, 'query'>
    options?: RegressionOptions
  }
  /**
   * The edge the job measures and where runs go; without `url` or `topics`
   * (`BENCHMARK_SCORE_URL`, `BENCHMARK_TOPICS` unset) the job is not scheduled.
   */
  score?: Partial<LiveScoreTarget>
  /** Replaces the live benchmark (tests). @defaultValue {@link liveScoreBenchmark} of `score` */
  runScore?: ScoreBenchmarkRunner
}

/** A started scheduler. */
export interface BenchmarkScheduler {
  /** Settles once the scheduler is stored in Redis, or removed there (it waits out a Redis outage). */
  ready: Promise<void>
  /** Waits for a running benchmark, then closes the worker, queue and connection. */
  close: () => Promise<void>
}

/**
 * The runner the options give, or why there is none.
 * @throws {Error} when the topics give fewer keys than a pass needs, naming `BENCHMARK_TOPICS`.
 */
function scoreRunner(
  options: BenchmarkSchedulerOptions,
  runs: number,
): ScoreBenchmarkRunner | string {
  if (options.runScore) return options.runScore
  const { url, topics, db } = options.score ?? {}
  if (!url) return 'BENCHMARK_SCORE_URL is unset'
  if (!topics?.length) return 'BENCHMARK_TOPICS is unset'
  const keys = scoreQueries(topics).length
  if (keys < runs) {
    throw new Error(
      `BENCHMARK_TOPICS: ${keys / KEYS_PER_TOPIC} topics give ${keys} distinct keys, fewer than BENCHMARK_RUNS (${runs})`,
    )
  }
  // Runs are kept in the database: without one there is nothing to measure for.
  if (!db) return 'no DATABASE_URL to persist to'
  return liveScoreBenchmark({ url, topics, db })
}

/**
 * Upserts `benchmark_score_job` and starts its worker, or, without an edge to
 * measure, removes the schedule and says why.
 * @throws {Error} on a bad cron pattern, naming `BENCHMARK_CRON`, or too few `BENCHMARK_TOPICS`.
 */
export function startBenchmarkScheduler(options: BenchmarkSchedulerOptions): BenchmarkScheduler {
  const { logger, settings } = options
  const cron = options.cron ?? DEFAULT_BENCHMARK_CRON
  const tz = options.timezone ?? 'UTC'
  const problem = cronProblem(cron, tz)
  if (problem) throw new Error(`BENCHMARK_CRON: "${cron}" is not a cron pattern (${problem})`)
  const runs = options.runs ?? 100
  const runScore = scoreRunner(options, runs)
  const data: BenchmarkJob = { benchmark: 'score', runs }

  if (options.regressionGauge) {
    const { registry, db, options: regression } = options.regressionGauge
    registerBenchmarkRegressionGauge(registry, {
      db,
      logger,
      ...(regression ? { regression } : {}),
    })
  }

  const connection = createRedis(options.redisUrl, {
    role: 'queue',
    name: 'benchmark-scheduler',
    logger,
  })
  const queue = new Queue<BenchmarkJob, BenchmarkJobResult>(QUEUE_NAMES.benchmarks, {
    connection,
    prefix: settings.prefix,
  })
  queue.on('error', (err) => logger.warn({ err: err.message }, 'benchmarks queue error'))
  const closing: (() => Promise<unknown>)[] = [() => queue.close()]
  const close = async () => {
    const problems: unknown[] = []
    for (const step of [...closing].reverse())
      await step().catch((err: unknown) => problems.push(err))
    await connection.quit().catch((err: unknown) => {
      problems.push(err)
      connection.disconnect()
    })
    if (problems.length) throw new AggregateError(problems, 'benchmark scheduler close failed')
  }

  if (typeof runScore === 'string') {
    logger.warn(
      { scheduler: BENCHMARK_SCHEDULER_ID },
      `${runScore}: benchmark_score_job is not scheduled`,
    )
    // A schedule an earlier release stored would keep adding jobs nobody takes.
    const ready = queue
      .removeJobScheduler(BENCHMARK_SCHEDULER_ID)
      .then((removed) => {
        if (removed)
          logger.info({ scheduler: BENCHMARK_SCHEDULER_ID }, 'stored benchmark scheduler removed')
      })
      .catch((err: Error) => logger.error({ err: err.message }, 'benchmark scheduler not removed'))
    return { ready, close }
  }

  // Not awaited: a core process must start while Redis is down; the queue
  // connection keeps the command until Redis is back.
  const ready = queue
    .upsertJobScheduler(
      BENCHMARK_SCHEDULER_ID,
      { pattern: cron, tz },
      {
        name: 'benchmark_score',
        data,
        // No retries: a second attempt minutes later measures a different
        // machine state, and tomorrow's run comes anyway.
        opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
      },
    )
    .then((next) =>
      logger.info(
        {
          scheduler: BENCHMARK_SCHEDULER_ID,
          cron,
          tz,
          runs,
          next: new Date(next.timestamp + (next.opts.delay ?? 0)),
        },
        'benchmark scheduler upserted',
      ),
    )
    .catch((err: Error) => logger.error({ err: err.message }, 'benchmark scheduler not stored'))

  const started = createWorker<BenchmarkJob, BenchmarkJobResult>(
    QUEUE_NAMES.benchmarks,
    createBenchmarkProcessor({ runScore }),
    {
      redisUrl: options.redisUrl,
      settings,
      concurrency: 1,
      name: 'benchmark-worker',
      logger,
      registry: options.regressionGauge?.registry,
    },
  )
  started.worker.on('completed', (job, result) =>
    logger.info({ job: job.id, ...result }, 'benchmark finished'),
  )
  // Closed before the queue: it waits for a running benchmark.
  closing.push(() => started.close())

  return { ready, close }
}
