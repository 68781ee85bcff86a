/**
 * @module
 * Outages cost time, not attempts: a processor error that means a dependency
 * is away (see {@link isDatabaseUnavailable}) sends the job back to wait with
 * `attemptsMade` unchanged, through BullMQ's documented rate limit
 * (`worker.rateLimit(ms)` + `throw Worker.RateLimitError()`), and this worker
 * takes no job until the pause ends. Other errors fail the attempt as before.
 * Logged once when an outage starts and once when a job succeeds again.
 */
import { type Processor, Worker } from 'bullmq'
import type { Logger } from '../logger.ts'
import { nextOutageState, type OutagePauseSettings, type OutageState } from './outage-pause.ts'

/** Options of {@link guardOutages}. */
export interface OutageGuardOptions {
  /** True for an error that means a dependency is away, not that the job's data is bad. */
  isOutage: (err: unknown) => boolean
  pause: OutagePauseSettings
  /** Stops this worker taking jobs for `ms`: the worker's `rateLimit`. */
  rateLimit: (ms: number) => Promise<void>
  logger: Pick<Logger, 'info' | 'warn'>
  /** @defaultValue Date.now */
  now?: () => number
}

/** Wraps `processor` so that outage errors pause the worker instead of spending attempts. */
export function guardOutages<Data, Result>(
  processor: Processor<Data, Result>,
  options: OutageGuardOptions,
): Processor<Data, Result> {
  const now = options.now ?? Date.now
  let outage: OutageState | undefined
  return async (job, token, signal) => {
    try {
      const result = await processor(job, token, signal)
      if (outage) {
        options.logger.info({ downMs: now() - outage.since }, 'dependency back: jobs resumed')
        outage = undefined
      }
      return result
    } catch (err) {
      if (!options.isOutage(err)) throw err
      const at = now()
      if (!outage) {
        options.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'dependency unavailable: jobs paused, attempts kept',
        )
      }
      outage = nextOutageState(outage, at, options.pause)
      await options.rateLimit(Math.max(1, outage.until - at))
      throw Worker.RateLimitError()
    }
  }
}
