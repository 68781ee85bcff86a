/**
 * @module
 * Validation of a posted signal batch, item by item, so a client learns every
 * bad item of a batch (by index and field) in one answer. Topics are
 * normalised exactly as `/score` normalises its query, so a stored signal is
 * found by the score of the same topic.
 */
import { z } from 'zod'
import { PRODUCTS } from '../../edge/score/products.ts'
import { scoreQuerySchema } from '../../edge/score/query.ts'
import { MAX_SIGNALS_PER_JOB, type QueuedSignal } from '../platform/queue/index.ts'

/** How far in the future an observation may be (client clocks drift); later is refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000

const NAME = /^[a-z0-9_]{1,64}$/
const CLIENT_ID = /^[A-Za-z0-9_.:-]{1,128}$/

/** One posted signal. */
export const signalInputSchema = z.object({
  id: z
    .string({ error: 'id must be a string' })
    .regex(CLIENT_ID, { error: 'id must be 1-128 characters of [A-Za-z0-9_.:-]' })
    .optional(),
  topic: scoreQuerySchema.shape.topic,
  product: z
    .enum(PRODUCTS, { error: `product must be one of ${PRODUCTS.join(', ')}` })
    .nullable()
    .optional(),
  source: z.string({ error: 'source is required' }).regex(NAME, {
    error: 'source must be 1-64 characters of [a-z0-9_]',
  }),
  metric: z.string({ error: 'metric is required' }).regex(NAME, {
    error: 'metric must be 1-64 characters of [a-z0-9_]',
  }),
  // zod's number refuses NaN and Infinity, which JSON cannot carry anyway.
  value: z.number({ error: 'value must be a finite number' }),
  observedAt: z.iso
    .datetime({
      offset: true,
      error: 'observedAt must be an ISO 8601 time, e.g. 2025-01-31T12:00:00Z',
    })
    .refine(
      // A malformed time is already reported by the format check: only judge real times.
      (at) => !(Date.parse(at) > Date.now() + MAX_FUTURE_SKEW_MS),
      {
        error: `observedAt must not be more than ${MAX_FUTURE_SKEW_MS / 60_000} minutes in the future`,
      },
    ),
})

/** One problem of one item. */
export interface ItemProblem {
  index: number
  field: string
  message: string
}

/** The outcome of {@link validateSignalBatch}. */
export type BatchValidation =
  | { ok: true; signals: QueuedSignal[] }
  | { ok: false; reason: 'shape'; message: string }
  | { ok: false; reason: 'too_many'; count: number }
  | { ok: false; reason: 'items'; items: ItemProblem[]; count: number }

const batchSchema = z.object({ signals: z.array(z.unknown()).min(1) })

/** Validates `{ signals: [...] }`: 1 to {@link MAX_SIGNALS_PER_JOB} items, every one valid. */
export function validateSignalBatch(body: unknown): BatchValidation {
  const batch = batchSchema.safeParse(body)
  if (!batch.success) {
    return { ok: false, reason: 'shape', message: 'body must be { "signals": [ ...1 or more ] }' }
  }
  const raw = batch.data.signals
  if (raw.length > MAX_SIGNALS_PER_JOB) return { ok: false, reason: 'too_many', count: raw.length }
  const items: ItemProblem[] = []
  const signals: QueuedSignal[] = []
  for (const [index, item] of raw.entries()) {
    const parsed = signalInputSchema.safeParse(item)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        items.push({ index, field: issue.path.join('.') || '(item)', message: issue.message })
      }
      continue
    }
    const { id, product, observedAt, ...rest } = parsed.data
    signals.push({
      ...rest,
      ...(id === undefined ? {} : { id }),
      product: product ?? null,
      // One spelling per instant, so the dedupe hash of a re-post matches.
      observedAt: new Date(observedAt).toISOString(),
    })
  }
  if (items.length > 0) return { ok: false, reason: 'items', items, count: raw.length }
  return { ok: true, signals }
}
