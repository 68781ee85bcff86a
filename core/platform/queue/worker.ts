/**
 * @module
 * BullMQ workers with the environment's settings: a queue-role connection
 * (`maxRetriesPerRequest: null`, so a Redis restart pauses work instead of
 * failing it), the key prefix, and the lock and stalled-check timings that
 * decide how soon a job whose worker died is picked up again. Every job is
 * profiled here ({@link profileJobs}) and guarded against outages
 * ({@link guardOutages}: a lost database pauses the worker and spends no
 * attempt), so no consumer needs code for either.
 */
import { type Processor, Worker } from 'bullmq'
import type { Registry } from 'prom-client'
import { isDatabaseUnavailable } from '../db/unavailable.ts'
import type { Logger } from '../logger.ts'
import { createRedis } from '../redis/index.ts'
import { profileJobs } from './job-profiling.ts'
import { guardOutages } from './outage-guard.ts'
import type { QueueSettings } from './settings.ts'

/** Options of {@link createWorker}. */
export interface CreateWorkerOptions {
  redisUrl: string
  settings: QueueSettings
  /** Jobs processed at once by this process. */
  concurrency: number
  /** Connection name in `CLIENT LIST`. */
  name: string
  logger: Logger
  /** The service's registry, for `job_duration_seconds`; without one, jobs are only logged. */
  registry?: Registry
}

/** A started worker and the close that also ends its connection. */
export interface StartedWorker<Data, Result> {
  worker: Worker<Data, Result>
  /** Waits for active jobs to finish, then disconnects; runs every step. */
  close: () => Promise<void>
}

/** Starts a worker on `queueName`; errors are logged, never thrown. */
export function createWorker<Data, Result>(
  queueName: string,
  processor: Processor<Data, Result>,
  options: CreateWorkerOptions,
): StartedWorker<Data, Result> {
  const connection = createRedis(options.redisUrl, {
    role: 'queue',
    name: options.name,
    logger: options.logger,
  })
  const guarded = guardOutages(processor, {
    isOutage: isDatabaseUnavailable,
    pause: options.settings.outagePause,
    rateLimit: (ms): Promise<void> => worker.rateLimit(ms),
    logger: options.logger,
  })
  const worker = new Worker<Data, Result>(queueName, guarded, {
    connection,
    prefix: options.settings.prefix,
    concurrency: options.concurrency,
    lockDuration: options.settings.lockDurationMs,
    stalledInterval: options.settings.stalledIntervalMs,
  })
  profileJobs(worker, { logger: options.logger, registry: options.registry })
  worker.on('error', (err) => options.logger.warn({ err: err.message }, 'worker error'))
  worker.on('failed', (job, err) =>
    options.logger.warn(
      { job: job?.id, attempt: job?.attemptsMade, err: err.message },
      'job attempt failed',
    ),
  )
  return {
    worker,
    close: async () => {
      const problems: unknown[] = []
      await worker.close().catch((err: unknown) => problems.push(err))
      await connection.quit().catch((err: unknown) => {
        problems.push(err)
        connection.disconnect()
      })
      if (problems.length > 0) throw new AggregateError(problems, 'worker close failed')
    },
  }
}
