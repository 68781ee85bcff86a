/**
 * @module
 * Queue settings read once from the configuration: the key prefix, default job
 * options (retries with exponential back-off, bounded retention) and the worker
 * lock timings, and how long workers pause while the database is away.
 * Validated here, so a bad combination stops the process at start.
 */
import type { DefaultJobOptions } from 'bullmq'
import type { Config } from '../config/index.ts'
import type { OutagePauseSettings } from './outage-pause.ts'

/** Settings shared by producers and workers of one environment. */
export interface QueueSettings {
  /** Key prefix (`<prefix>:<queue>:wait`...), one per environment or test file. */
  prefix: string
  /** Options every job gets unless the producer overrides them. */
  defaultJobOptions: DefaultJobOptions
  /** How long a worker's lock on an active job lasts before it counts as stalled. */
  lockDurationMs: number
  /** How often workers look for stalled jobs (whose owner died) and requeue them. */
  stalledIntervalMs: number
  /** Deadline of one `add` from an HTTP handler before it answers 503. */
  addTimeoutMs: number
  /** Workers' pause while a dependency is away; it doubles per round up to the cap. */
  outagePause: OutagePauseSettings
}

/** Options of {@link queueSettings}; the defaults are the configuration's. */
export interface QueueSettingsOptions {
  /** @defaultValue `'bull'` */
  prefix?: string
  /** Attempts per job, the first included. @defaultValue 10 */
  attempts?: number
  /** First retry delay; each next one doubles. @defaultValue 1000 */
  backoffDelayMs?: number
  /** @defaultValue 30000 */
  lockDurationMs?: number
  /** @defaultValue 30000 */
  stalledIntervalMs?: number
  /** @defaultValue 2000 */
  addTimeoutMs?: number
  /** First pause of a worker while the database is away. @defaultValue 1000 */
  outagePauseMs?: number
  /** Longest such pause: how late, at most, work resumes after the outage. @defaultValue 30000 */
  outagePauseMaxMs?: number
}

/** Finished jobs kept for inspection: enough to debug, bounded so Redis does not grow forever. */
export const RETENTION = {
  completed: { count: 1000, age: 3600 },
  failed: { count: 10_000, age: 7 * 86_400 },
} as const

/** Builds the settings; throws a plain `Error` on an inconsistent combination. */
export function queueSettings(options: QueueSettingsOptions = {}): QueueSettings {
  const lockDurationMs = options.lockDurationMs ?? 30_000
  const stalledIntervalMs = options.stalledIntervalMs ?? 30_000
  const outagePause = {
    firstMs: options.outagePauseMs ?? 1000,
    maxMs: options.outagePauseMaxMs ?? 30_000,
  }
  if (stalledIntervalMs <= 0 || lockDurationMs <= 0) {
    throw new Error('lockDurationMs and stalledIntervalMs must be greater than 0')
  }
  if (outagePause.firstMs <= 0 || outagePause.maxMs < outagePause.firstMs) {
    throw new Error('outagePauseMs must be greater than 0 and at most outagePauseMaxMs')
  }
  return {
    prefix: options.prefix ?? 'bull',
    defaultJobOptions: {
      attempts: options.attempts ?? 10,
      // 1 s, 2 s, 4 s... for errors in the data; a database outage spends no attempt (outage-guard.ts).
      backoff: { type: 'exponential', delay: options.backoffDelayMs ?? 1000 },
      removeOnComplete: RETENTION.completed,
      // Failed jobs stay inspectable (GET /signals/jobs/:id) with their error for a week.
      removeOnFail: RETENTION.failed,
    },
    lockDurationMs,
    stalledIntervalMs,
    addTimeoutMs: options.addTimeoutMs ?? 2000,
    outagePause,
  }
}

/** The settings the environment asks for. */
export function queueSettingsFromConfig(config: Config): QueueSettings {
  return queueSettings({
    prefix: config.QUEUE_PREFIX,
    attempts: config.QUEUE_ATTEMPTS,
    backoffDelayMs: config.QUEUE_BACKOFF_DELAY_MS,
    lockDurationMs: config.QUEUE_LOCK_DURATION_MS,
    stalledIntervalMs: config.QUEUE_STALLED_INTERVAL_MS,
    addTimeoutMs: config.QUEUE_ADD_TIMEOUT_MS,
  })
}
