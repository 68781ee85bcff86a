/**
 * @module
 * The experiment contract (the optimization service): the experiment id in
 * the path, a metric batch (`POST /experiments/:id/metrics`, checked item by
 * item so every bad item is reported at once), the summary query
 * (`GET /experiments/:id/summary`), their answers, limits and error codes.
 * Core's routes and the metrics store read it from here.
 */
import { z } from 'zod'
import { type BatchValidation, validateBatch } from '../validation/index.ts'
import { isoTime } from './fields.ts'
import { type Clock, isStorableText, storableTime, storableValue } from './storable.ts'

/** Limits of the experiment API. */
export interface ExperimentLimits {
  /** Most samples one `POST /experiments/:id/metrics` carries. */
  maxMetricsPerRequest: number
  /** How far in the future a sample time may be (client clock drift). */
  maxFutureSkewMs: number
  /** Longest tag value. */
  maxTagValueLength: number
}

/** The limits the platform runs with. */
export const EXPERIMENT_LIMITS: ExperimentLimits = {
  maxMetricsPerRequest: 1000,
  maxFutureSkewMs: 5 * 60_000,
  maxTagValueLength: 128,
}

/** Error codes of the experiment API besides the shared ones (`invalid_body`, 503s). */
export const EXPERIMENT_ERRORS = {
  invalidExperiment: 'invalid_experiment',
  invalidQuery: 'invalid_query',
  invalidItems: 'invalid_metrics',
  tooMany: 'too_many_metrics',
} as const

/** The tag the routes set from the path; a client may not send it. */
export const EXPERIMENT_TAG = 'experiment'
/** The tag summaries group by. */
export const VARIANT_TAG = 'variant'
/** Tag keys: short identifiers, so they are safe inside JSON paths. */
export const TAG_KEY = /^[a-z0-9_]{1,64}$/

// Without bounds the window is all time (the year 9999 fits both backends' time types).
const ALL_TIME = { from: new Date(0), to: new Date('9999-12-31T23:59:59.999Z') }

/**
 * Builds every experiment schema from `limits` (see {@link experimentContract});
 * `now` is the clock sample times are judged against.
 */
export function createExperimentContract(
  limits: ExperimentLimits = EXPERIMENT_LIMITS,
  now: Clock = Date.now,
) {
  const L = limits
  const metricName = z
    .string({ error: 'name is required' })
    .regex(/^[a-z0-9_.]{1,128}$/, { error: 'name must be 1-128 characters of [a-z0-9_.]' })

  /** One posted sample. */
  const metric = z.object({
    name: metricName,
    value: storableValue('value'),
    tags: z
      .record(
        z.string().regex(TAG_KEY, { error: 'tag keys must be 1-64 characters of [a-z0-9_]' }),
        z
          .string({ error: 'tag values must be strings' })
          .max(L.maxTagValueLength, {
            error: `tag values must be at most ${L.maxTagValueLength} characters`,
          })
          .refine(isStorableText, {
            error: 'tag values must not hold NUL or unpaired surrogates',
          }),
      )
      .refine((tags) => !(EXPERIMENT_TAG in tags), {
        error: `the "${EXPERIMENT_TAG}" tag is set from the path`,
      })
      .optional(),
    at: storableTime('at', L.maxFutureSkewMs, now).optional(),
  })

  return {
    limits: L,
    /** `/experiments/:id`: the experiment id in the path. */
    idParam: z.object({
      id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, {
        error: 'must be 1-64 characters of [A-Za-z0-9_.-]',
      }),
    }),
    metric,
    /** `GET /experiments/:id/summary` query: a metric name and an optional window. */
    summaryQuery: z
      .object({ name: metricName, from: isoTime().optional(), to: isoTime().optional() })
      .transform(({ name, from, to }) => ({
        name,
        from: from ? new Date(from) : ALL_TIME.from,
        to: to ? new Date(to) : ALL_TIME.to,
      }))
      .refine(({ from, to }) => from < to, { error: 'from must be before to', path: ['from'] }),
    /** `POST /experiments/:id/metrics` answer (201). */
    recorded: z.object({ experiment: z.string(), recorded: z.number() }),
    /** `GET /experiments/:id/summary` answer: one row per variant. */
    summary: z.object({
      experiment: z.string(),
      name: z.string(),
      from: z.string(),
      to: z.string(),
      variants: z.array(
        z.object({
          variant: z.string().nullable(),
          count: z.number(),
          sum: z.number(),
          avg: z.number(),
          min: z.number(),
          max: z.number(),
          p50: z.number(),
          p95: z.number(),
        }),
      ),
    }),
  }
}

/** The schemas of one experiment contract. */
export type ExperimentContract = ReturnType<typeof createExperimentContract>

/** The contract the platform runs with. */
export const experimentContract: ExperimentContract = createExperimentContract()

/** A validated sample, ready for the store. */
export interface MetricInput {
  name: string
  value: number
  tags: Record<string, string>
  at?: Date
}

/** Validates `{ metrics: [...] }`: 1 to `maxMetricsPerRequest` samples, every one valid. */
export function validateMetricBatch(
  body: unknown,
  contract: ExperimentContract = experimentContract,
): BatchValidation<MetricInput> {
  const max = contract.limits.maxMetricsPerRequest
  const checked = validateBatch(body, 'metrics', contract.metric, max)
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
