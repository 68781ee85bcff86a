/**
 * @module
 * Runs the mock-up reconciler every `MOCKUP_RECONCILE_INTERVAL_MS` in one
 * process at a time, as the benchmark scheduler does: a BullMQ job scheduler
 * (`mockup_reconcile`, idempotent to upsert from every core process) adds one
 * job per interval to its own queue, and exactly one worker takes each.
 */
import { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { Counter, type Registry } from 'prom-client'
import type { Logger } from '../platform/logger.ts'
import type { MockupRecords } from '../platform/mockups/index.ts'
import { createWorker, type QueueSettings } from '../platform/queue/index.ts'
import { type ReconcileReport, reconcileMockups } from './reconciler.ts'
import type { MockupQueue } from './routes.ts'

/** The reconciler's queue (its own: the GPU workers consume `mockups`). */
export const MOCKUP_RECONCILE_QUEUE = 'mockup-reconcile'

/** The job scheduler's id. */
export const MOCKUP_RECONCILE_SCHEDULER_ID = 'mockup_reconcile'

/** Options of {@link startMockupReconciler}. */
export interface MockupReconcilerOptions {
  redisUrl: string
  /** A queue-role connection for the scheduler's queue; shared, so not closed here. */
  connection: Redis
  settings: QueueSettings
  logger: Logger
  registry: Registry
  records: MockupRecords
  queue: MockupQueue
  /** `MOCKUP_RECONCILE_INTERVAL_MS`. */
  intervalMs: number
  /** `MOCKUP_RECONCILE_GRACE_MS`. */
  graceMs: number
}

/** Stores the schedule (not awaited by callers: core starts while Redis is down) and starts the worker. */
export function startMockupReconciler(options: MockupReconcilerOptions) {
  const { logger, settings, intervalMs } = options
  const counter = new Counter({
    name: 'mockup_reconciled_total',
    help: 'Unfinished mock-ups whose job was gone, by what the reconciler did (requeued, failed)',
    labelNames: ['action'] as const,
    registers: [options.registry],
  })
  const queue = new Queue(MOCKUP_RECONCILE_QUEUE, {
    connection: options.connection,
    prefix: settings.prefix,
  })
  queue.on('error', (err) => logger.warn({ err: err.message }, 'mockup-reconcile queue error'))
  const ready = queue
    .upsertJobScheduler(
      MOCKUP_RECONCILE_SCHEDULER_ID,
      { every: intervalMs },
      // One try: the next pass comes within the interval anyway.
      { name: 'reconcile', opts: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 } },
    )
    .then(() => logger.info({ intervalMs }, 'mock-up reconciler scheduled'))
    .catch((err: Error) => logger.error({ err: err.message }, 'mock-up reconciler not scheduled'))

  const started = createWorker<unknown, ReconcileReport>(
    MOCKUP_RECONCILE_QUEUE,
    () =>
      reconcileMockups({
        records: options.records,
        queue: options.queue,
        logger,
        counter,
        policy: { graceMs: options.graceMs, maxRequeues: 1 },
      }),
    {
      redisUrl: options.redisUrl,
      settings,
      concurrency: 1,
      name: 'mockup-reconciler',
      logger,
      registry: options.registry,
    },
  )
  return {
    ready,
    /** Waits for a running pass, then closes the worker and the queue. */
    close: async () => {
      await started.close()
      await queue.close()
    },
  }
}

/** A started reconciler. */
export type MockupReconciler = ReturnType<typeof startMockupReconciler>
