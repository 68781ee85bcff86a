/**
 * @module
 * Input of the experiment routes: the experiment id, a metric batch (checked
 * item by item, so every bad item is reported at once) and the summary query.
 */
import { z } from 'zod'
import { isoTime } from '../../edge/contracts/fields.ts'
import { type BatchValidation, validateBatch } from '../../edge/validation/index.ts'
import { TAG_KEY } from './store/index.ts'

/** Most samples one `POST /experiments/:id/metrics` carries. */
export const MAX_METRICS_PER_REQUEST = 1000
/** The tag the routes set from the path; a client may not send it. */
export const EXPERIMENT_TAG = 'experiment'
/** The tag summaries group by. */
export const VARIANT_TAG = 'variant'
/** How far in the future a sample time may be (client clock drift). */
const MAX_FUTURE_SKEW_MS = 5 * 60_000

/** `/experiments/:id`: the experiment id in the path. */
export const experimentParamSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, {
    error: 'must be 1-64 characters of [A-Za-z0-9_.-]',
  }),
})

const metricName = z
  .string({ error: 'name is required' })
  .regex(/^[a-z0-9_.]{1,128}$/, { error: 'name must be 1-128 characters of [a-z0-9_.]' })

/** One posted sample. */
export const metricInputSchema = z.object({
  name: metricName,
  value: z.number({ error: 'value must be a finite number' }),
  tags: z
    .record(
      z.string().regex(TAG_KEY, { error: 'tag keys must be 1-64 characters of [a-z0-9_]' }),
      z.string({ error: 'tag values must be strings' }).max(128, {
        error: 'tag values must be at most 128 characters',
      }),
    )
    .refine((tags) => !(EXPERIMENT_TAG in tags), {
      error: `the "${EXPERIMENT_TAG}" tag is set from the path`,
    })
    .optional(),
  at: isoTime()
    .refine(
      // A malformed time is already reported by the format check: only judge real times.
      (at) => !(Date.parse(at) > Date.now() + MAX_FUTURE_SKEW_MS),
      {
        error: 'at must not be more than 5 minutes in the future',
      },
    )
    .optional(),
})

/** A validated sample, ready for the store. */
export interface MetricInput {
  name: string
  value: number
  tags: Record<string, string>
  at?: Date
}

/** Validates `{ metrics: [...] }`: 1 to {@link MAX_METRICS_PER_REQUEST} samples, every one valid. */
export function validateMetricBatch(body: unknown): BatchValidation<MetricInput> {
  const checked = validateBatch(body, 'metrics', metricInputSchema, MAX_METRICS_PER_REQUEST)
  if (!checked.ok) return checked
  return {
    ok: true,
    items: checked.items.map(({ at, tags, ...rest }) => ({
      ...rest,
      tags: tags ?? {},
      ...(at ? { at: new Date(at) } : {}),
    })),
  }
}

/** `GET /experiments/:id/summary` query: a metric name and an optional window. */
export const summaryQuerySchema = z
  .object({
    name: metricName,
    from: isoTime().optional(),
    to: isoTime().optional(),
  })
  .transform(({ name, from, to }) => ({
    name,
    // Without bounds the window is all time (the year 9999 fits both backends' time types).
    from: from ? new Date(from) : new Date(0),
    to: to ? new Date(to) : new Date('9999-12-31T23:59:59.999Z'),
  }))
  .refine(({ from, to }) => from < to, { error: 'from must be before to', path: ['from'] })
