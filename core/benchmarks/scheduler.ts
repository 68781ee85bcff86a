/**
 * @module
 * `benchmark_score_job`: a BullMQ job scheduler on the `benchmarks` queue
 * that adds a score-benchmark job on a cron pattern (`BENCHMARK_CRON`,
 * nightly by default), and the worker (one job at a time) that runs it.
 * Every core process may start one: upserting the scheduler is idempotent,
 * and each scheduled job is taken by exactly one worker.
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
  type ScoreBenchmarkRunner,
} from './processor.ts'
import type { RegressionOptions } from './regression.ts'

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
  /** @defaultValue the real benchmark with `--persist` */
  runScore?: ScoreBenchmarkRunner
}

/** A started scheduler. */
export interface BenchmarkScheduler {
  /** Settles once the scheduler is stored in Redis (it waits out a Redis outage). */
  ready: Promise<void>
  /** Waits for a running benchmark, then closes the worker, queue and connection. */
  close: () => Promise<void>
}

/**
 * Upserts `benchmark_score_job` and starts its worker.
 * @throws {Error} on a bad cron pattern, naming `BENCHMARK_CRON`.
 */
export function startBenchmarkScheduler(options: BenchmarkSchedulerOptions): BenchmarkScheduler {
  const { logger, settings } = options
  const cron = options.cron ?? DEFAULT_BENCHMARK_CRON
  const tz = options.timezone ?? 'UTC'
  const problem = cronProblem(cron, tz)
  if (problem) throw new Error(`BENCHMARK_CRON: "${cron}" is not a cron pattern (${problem})`)
  const runs = options.runs ?? 100
  const data: BenchmarkJob = { benchmark: 'score', runs }

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
    createBenchmarkProcessor(options.runScore ? { runScore: options.runScore } : {}),
    { redisUrl: options.redisUrl, settings, concurrency: 1, name: 'benchmark-worker', logger },
  )
  started.worker.on('completed', (job, result) =>
    logger.info({ job: job.id, ...result }, 'benchmark finished'),
  )

  if (options.regressionGauge) {
    const { registry, db, options: regression } = options.regressionGauge
    registerBenchmarkRegressionGauge(registry, {
      db,
      logger,
      ...(regression ? { regression } : {}),
    })
  }

  return {
    ready,
    close: async () => {
      const problems: unknown[] = []
      await started.close().catch((err: unknown) => problems.push(err))
      await queue.close().catch((err: unknown) => problems.push(err))
      await connection.quit().catch((err: unknown) => {
        problems.push(err)
        connection.disconnect()
      })
      if (problems.length) throw new AggregateError(problems, 'benchmark scheduler close failed')
    },
  }
}
