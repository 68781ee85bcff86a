/**
 * @module
 * The signal contract: one posted trend signal (`POST /signals`,
 * `signals.ingest`), the batch limits, the normalised signal a
 * `signal-ingestion` job carries and the row it is stored as. Topics are
 * normalised as `/score` normalises its query, so a stored signal is found by
 * the score of the same topic.
 */
import { z } from 'zod'
import { PRODUCTS } from '../score/products.ts'
import { oneOf, wholeNumber } from './fields.ts'
import { MAX_TOPIC_LENGTH, scoreQuerySchema } from './score.ts'
import { type Clock, storableTime, storableValue } from './storable.ts'

/** Limits of a signal batch. */
export interface SignalLimits {
  /** Most signals in one `POST /signals` (one queue job). */
  maxPerBatch: number
  /** How far in the future an observation may be (client clocks drift); later is refused. */
  maxFutureSkewMs: number
}

/** The limits the platform runs with. */
export const SIGNAL_LIMITS: SignalLimits = { maxPerBatch: 1000, maxFutureSkewMs: 5 * 60_000 }

/** Error codes of a refused batch (see core/http/batch-error.ts). */
export const SIGNAL_ERRORS = {
  invalidItems: 'invalid_signals',
  tooMany: 'too_many_signals',
} as const

const NAME = /^[a-z0-9_]{1,64}$/
const CLIENT_ID = /^[A-Za-z0-9_.:-]{1,128}$/
const JOB_ID = /^[0-9A-Za-z:_-]{1,128}$/

/** Most rejected signals one `GET /signals/rejected` page lists. */
export const MAX_REJECTED_PAGE = 100

/**
 * Builds every signal schema from `limits` (see {@link signalContract});
 * `now` is the clock observedAt is judged against.
 */
export function createSignalContract(limits: SignalLimits = SIGNAL_LIMITS, now: Clock = Date.now) {
  const L = limits

  /** One posted signal: validated and normalised. */
  const input = z.object({
    id: z
      .string({ error: 'id must be a string' })
      .regex(CLIENT_ID, { error: 'id must be 1-128 characters of [A-Za-z0-9_.:-]' })
      .optional(),
    topic: scoreQuerySchema.shape.topic,
    product: oneOf(PRODUCTS).nullable().optional(),
    source: z.string({ error: 'source is required' }).regex(NAME, {
      error: 'source must be 1-64 characters of [a-z0-9_]',
    }),
    metric: z.string({ error: 'metric is required' }).regex(NAME, {
      error: 'metric must be 1-64 characters of [a-z0-9_]',
    }),
    value: storableValue('value'),
    observedAt: storableTime('observedAt', L.maxFutureSkewMs, now),
  })

  /** One signal as it travels in a job: normalised, times as ISO strings (JSON in Redis). */
  const queued = z.object({
    /** The client's idempotency id, when it sent one. */
    id: z.string().optional(),
    topic: z.string().min(1).max(MAX_TOPIC_LENGTH),
    product: z.enum(PRODUCTS).nullable(),
    source: z.string().min(1),
    metric: z.string().min(1),
    value: z.number(),
    observedAt: z.iso.datetime({ offset: true }),
  })

  return {
    limits: L,
    input,
    queued,
    /**
     * `signals.ingest` input: the batch's size only. Core judges the items
     * one by one and names every bad one by index, which a per-item schema
     * here would hide; the item type still reaches typed clients.
     */
    batch: z.object({
      signals: z.array(z.custom<z.input<typeof input>>()).min(1).max(L.maxPerBatch),
    }),
    /** The payload of a `signal-ingestion` job: one posted batch. */
    job: z.object({
      signals: z.array(queued).min(1).max(L.maxPerBatch),
      /** Name of the API key that posted the batch (never the secret), for logs. */
      postedBy: z.string(),
      /**
       * The poster's tenant, whose ids the signals dedupe among; absent on jobs
       * queued before tenants, whose tenant is then the poster's name.
       */
      tenant: z.string().optional(),
      /** When core accepted the batch (ISO 8601), to measure queue latency. */
      acceptedAt: z.iso.datetime(),
    }),
    /** `GET /signals/jobs/:id` param: a BullMQ job id. */
    jobIdParam: z.object({
      id: z.string().regex(JOB_ID, { error: 'must be a job id this API returned' }),
    }),
    /** `POST /signals` answer (202). */
    accepted: z.object({ jobId: z.string(), count: z.number() }),
    /** `GET /signals/rejected` query: a page size and the `next` cursor of the page before. */
    rejectedQuery: z.object({
      limit: wholeNumber(1, MAX_REJECTED_PAGE, { coerce: true }).default(50),
      before: wholeNumber(1, Number.MAX_SAFE_INTEGER, { coerce: true }).optional(),
    }),
    /** `GET /signals/rejected` answer: newest first; `next` is the `before` of the next page. */
    rejected: z.object({
      items: z.array(
        z.object({
          id: z.number(),
          jobId: z.string(),
          /** The signal as the job carried it. */
          signal: z.unknown(),
          sqlstate: z.string(),
          reason: z.string(),
          rejectedAt: z.string(),
        }),
      ),
      next: z.number().nullable(),
    }),
  }
}

/** The schemas of one signal contract. */
export type SignalContract = ReturnType<typeof createSignalContract>

/** The contract the platform runs with. */
export const signalContract: SignalContract = createSignalContract()

/** A posted signal, validated and normalised. */
export type SignalInput = z.output<SignalContract['input']>
/** A signal in a job. */
export type QueuedSignal = z.output<SignalContract['queued']>
/** A `signal-ingestion` job payload. */
export type SignalIngestionJob = z.output<SignalContract['job']>
/**
 * A signal as stored: the queued one with its time as a `Date`. The product
 * column is text, so the row type does not narrow it to today's products.
 */
export type SignalRecord = Omit<QueuedSignal, 'observedAt' | 'product'> & {
  product: string | null
  observedAt: Date
}

/** What a finished `signal-ingestion` job returns (kept as its `returnvalue`). */
export interface SignalIngestionResult {
  received: number
  /** New rows; fewer than `received` when a retry or re-post met rows already stored. */
  inserted: number
  /**
   * Signals the database refused, kept in `rejected_signals`; present only
   * when there were some (the usual result stays `{ received, inserted }`).
   */
  rejected?: number
}

/** The queued form of a validated signal: one spelling per instant, so a re-post's dedupe hash matches. */
export function toQueuedSignal(signal: SignalInput): QueuedSignal {
  const { id, product, observedAt, ...rest } = signal
  return {
    ...rest,
    ...(id === undefined ? {} : { id }),
    product: product ?? null,
    observedAt: new Date(observedAt).toISOString(),
  }
}

/** The stored form of a queued signal. */
export function toSignalRecord(signal: QueuedSignal): SignalRecord {
  return { ...signal, observedAt: new Date(signal.observedAt) }
}
