/**
 * @module
 * `POST /signals` (a batch of up to 1,000 signals, one job) and
 * `GET /signals/jobs/:id` (a job's state, attempts, error and result). Both
 * need an API key. A batch is acknowledged (202) only after Redis stored its
 * job; while Redis is away the answer is 503 with `Retry-After`.
 */
import { ApiError } from '../../edge/errors/index.ts'
import type { CoreRoutes } from '../http/app.ts'
import { batchError } from '../http/batch-error.ts'
import { jsonBody } from '../http/json-body.ts'
import {
  MAX_SIGNALS_PER_JOB,
  type QueueProducer,
  QueueUnavailableError,
  type SignalIngestionJob,
  type SignalIngestionResult,
} from '../platform/queue/index.ts'
import { validateSignalBatch } from './validate.ts'

const BATCH_WORDING = {
  noun: 'signals',
  max: MAX_SIGNALS_PER_JOB,
  container: 'A batch',
  consequence: 'nothing was queued',
}

/** The producer of `signal-ingestion` jobs. */
export type SignalQueue = QueueProducer<SignalIngestionJob, SignalIngestionResult>

/** Options of {@link signalRoutes}. */
export interface SignalRoutesOptions {
  /** Undefined when Redis is not configured: the routes answer 503. */
  queue: SignalQueue | undefined
  /** Seconds a client should wait after a 503. @defaultValue 5 */
  retryAfterSeconds?: number
}

const JOB_ID = /^[0-9A-Za-z:_-]{1,128}$/

/** Adds the signal-ingestion routes to the core app. */
export function signalRoutes(options: SignalRoutesOptions): CoreRoutes {
  const retryAfter = String(options.retryAfterSeconds ?? 5)
  const unavailable = (message: string) =>
    new ApiError(503, 'queue_unavailable', message, undefined, { 'Retry-After': retryAfter })
  const queueOf = (): SignalQueue => {
    if (!options.queue) throw unavailable('Signal ingestion is not configured (REDIS_URL unset)')
    return options.queue
  }
  // Redis failures answer 503 here; everything else goes to the app's error handler.
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (err) {
      if (err instanceof QueueUnavailableError) {
        throw unavailable('The signal queue is unavailable; retry later')
      }
      throw err
    }
  }

  return (app, requireKey) => {
    app.post('/signals', requireKey, async (c) => {
      const queue = queueOf()
      const checked = validateSignalBatch(await jsonBody(c))
      if (!checked.ok) throw batchError(checked, BATCH_WORDING)
      const job = await guarded(() =>
        queue.add('batch', {
          signals: checked.signals,
          postedBy: c.get('apiKeyName'),
          acceptedAt: new Date().toISOString(),
        }),
      )
      return c.json({ jobId: job.id, count: checked.signals.length }, 202)
    })

    app.get('/signals/jobs/:id', requireKey, async (c) => {
      const queue = queueOf()
      const id = c.req.param('id')
      if (!JOB_ID.test(id)) throw new ApiError(400, 'bad_request', 'job id is malformed')
      const report = await guarded(async () => {
        // State first: BullMQ moves a job and writes its result in one script, so
        // a job read after its state is at least as new as that state.
        const state = await queue.getJobState(id)
        const job = state === 'unknown' ? undefined : await queue.getJob(id)
        if (!job) return undefined
        return {
          id: job.id,
          state,
          count: job.data.signals?.length ?? 0,
          attemptsMade: job.attemptsMade,
          maxAttempts: job.opts.attempts ?? 1,
          failedReason: job.failedReason ?? null,
          returnvalue: job.returnvalue ?? null,
          createdAt: new Date(job.timestamp).toISOString(),
          finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        }
      })
      if (!report) throw new ApiError(404, 'not_found', `No signal job ${id}`)
      return c.json(report)
    })
  }
}
