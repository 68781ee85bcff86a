/**
 * @module
 * `POST /signals` (a batch of up to 1,000 signals, one job),
 * `GET /signals/jobs/:id` (a job's state, attempts, error and result) and
 * `GET /signals/rejected` (signals the database refused). All need an API
 * key, and each shows only the caller's tenant's (admins see every tenant's;
 * another tenant's job id is a 404). A batch is acknowledged (202) only after
 * Redis stored its job; while Redis is away the answer is 503 with `Retry-After`.
 *
 * `GET /signals/rejected?limit=50&before=<id>`: newest first,
 * `{ items: [{ id, jobId, signal, sqlstate, reason, rejectedAt }], next }`;
 * `signal` is the signal as its job carried it, `reason` a fixed sentence per
 * SQLSTATE class (22 data exception, 23 integrity violation), `next` the
 * `before` of the next page (null on the last). `limit` 1-100, default 50.
 */
import type pg from 'pg'
import { SIGNAL_ERRORS, signalContract } from '../../edge/contracts/signals.ts'
import { ApiError, DependencyUnavailableError } from '../../edge/errors/index.ts'
import { validate } from '../../edge/validation/index.ts'
import { type AccessPolicy, canSee, createAccessPolicy, tenantScope } from '../access/index.ts'
import type { CoreRoutes } from '../http/app.ts'
import { batchError } from '../http/batch-error.ts'
import { jsonBody } from '../http/json-body.ts'
import type {
  QueueProducer,
  SignalIngestionJob,
  SignalIngestionResult,
} from '../platform/queue/index.ts'
import { listRejectedSignals } from '../signals/index.ts'
import { publicFailedReason } from './failed-reason.ts'
import { signalJobTenant } from './job-tenant.ts'
import { validateSignalBatch } from './validate.ts'

const BATCH_WORDING = {
  noun: 'signals',
  max: signalContract.limits.maxPerBatch,
  container: 'A batch',
  consequence: 'nothing was queued',
  codes: SIGNAL_ERRORS,
}

/** The producer of `signal-ingestion` jobs. */
export type SignalQueue = QueueProducer<SignalIngestionJob, SignalIngestionResult>

/** Options of {@link signalRoutes}. */
export interface SignalRoutesOptions {
  /** Undefined when Redis is not configured: the routes answer 503. */
  queue: SignalQueue | undefined
  /** The signals database; undefined when not configured: `GET /signals/rejected` answers 503. */
  db?: Pick<pg.Pool, 'query'> | undefined
  /** Tenants and admins. @defaultValue every key its own tenant, no admins */
  access?: AccessPolicy
}

/** Adds the signal-ingestion routes to the core app. */
export function signalRoutes(options: SignalRoutesOptions): CoreRoutes {
  // A Redis that cannot answer (QueueUnavailableError) is the app's classifier's 503.
  const queueOf = (): SignalQueue => {
    if (!options.queue) {
      throw new DependencyUnavailableError(
        'queue',
        'Signal ingestion is not configured (REDIS_URL unset)',
      )
    }
    return options.queue
  }
  const dbOf = (): Pick<pg.Pool, 'query'> => {
    if (!options.db) {
      throw new DependencyUnavailableError('database', 'The signals database is not configured')
    }
    return options.db
  }

  const access = options.access ?? createAccessPolicy({ keys: [] })

  return (app, requireKey) => {
    app.post('/signals', requireKey, async (c) => {
      // Bad input is a 400 even while Redis is away: the client must fix it either way.
      const checked = validateSignalBatch(await jsonBody(c))
      if (!checked.ok) throw batchError(checked, BATCH_WORDING)
      const queue = queueOf()
      const job = await queue.add('batch', {
        signals: checked.items,
        postedBy: c.get('apiKeyName'),
        tenant: access.caller(c).tenant,
        acceptedAt: new Date().toISOString(),
      })
      return c.json({ jobId: job.id, count: checked.items.length }, 202)
    })

    app.get('/signals/jobs/:id', requireKey, async (c) => {
      const queue = queueOf()
      const { id } = validate(signalContract.jobIdParam, c.req.param())
      // State first: BullMQ moves a job and writes its result in one script, so
      // a job read after its state is at least as new as that state.
      const state = await queue.getJobState(id)
      const job = state === 'unknown' ? undefined : await queue.getJob(id)
      // Another tenant's job is as absent as a missing one: ids are not confirmed.
      if (!job || !canSee(access.caller(c), signalJobTenant(job.data))) {
        throw new ApiError(404, 'not_found', `No signal job ${id}`)
      }
      const report = {
        id: job.id,
        state,
        count: job.data.signals?.length ?? 0,
        attemptsMade: job.attemptsMade,
        maxAttempts: job.opts.attempts ?? 1,
        // Never the database's own text (see failed-reason.ts).
        failedReason: publicFailedReason(job.failedReason),
        returnvalue: job.returnvalue ?? null,
        createdAt: new Date(job.timestamp).toISOString(),
        finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      }
      return c.json(report)
    })

    app.get('/signals/rejected', requireKey, async (c) => {
      const page = validate(signalContract.rejectedQuery, c.req.query())
      return c.json(await listRejectedSignals(dbOf(), page, tenantScope(access.caller(c))))
    })
  }
}
