/**
 * @module
 * Inputs of the analytics API (zod): ids, periods, metrics, buckets and
 * cursors. A bad value is a 400 naming the field; periods are bounded so one
 * request cannot scan years of events.
 */
import { z } from 'zod'
import { RANKING_METRICS } from '../../edge/analytics/ranking.ts'
import { wholeNumber } from '../../edge/contracts/fields.ts'
import { PRODUCTS } from '../../edge/score/index.ts'
import { keysetCursor } from '../../edge/validation/keyset-cursor.ts'

const DAY_MS = 86_400_000
/** Longest period any query may cover. */
export const MAX_SPAN_DAYS = 366
/** Longest period of an hourly series (744 points). */
export const MAX_HOURLY_SPAN_DAYS = 31
/** Default period when none is given: the last 30 days. */
export const DEFAULT_SPAN_DAYS = 30

const id = z.coerce
  .number({ error: 'must be a positive whole number' })
  .int({ error: 'must be a positive whole number' })
  .positive({ error: 'must be a positive whole number' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'is too large' })

const time = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2026-06-01T00:00:00Z' })
  .transform((value) => new Date(value))

/** A period [from, to): defaults to the last 30 days; `from` must precede `to`. */
const period = (maxDays: number) =>
  z.object({ from: time.optional(), to: time.optional() }).transform(({ from, to }, ctx) => {
    const end = to ?? new Date()
    const start = from ?? new Date(end.getTime() - DEFAULT_SPAN_DAYS * DAY_MS)
    if (start >= end) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must be before to' })
      return z.NEVER
    }
    if (end.getTime() - start.getTime() > maxDays * DAY_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the period may span at most ${maxDays} days`,
      })
      return z.NEVER
    }
    return { from: start, to: end }
  })

/** `GET /analytics/designs/:id/summary?from=&to=&product=` */
export const summaryInput = z
  .object({
    id,
    product: z.enum(PRODUCTS, { error: `must be one of ${PRODUCTS.join(', ')}` }).optional(),
  })
  .and(period(MAX_SPAN_DAYS))

/** An opaque keyset cursor of `[value, designId]`; the value is a decimal. */
const cursor = keysetCursor((key) => /^-?\d+(\.\d+)?$/.test(key)).transform(({ key, id }) => ({
  value: key,
  id,
}))

/** `GET /analytics/top?metric=&from=&to=&limit=&cursor=` */
export const topInput = z
  .object({
    metric: z
      .enum(RANKING_METRICS, { error: `must be one of ${RANKING_METRICS.join(', ')}` })
      .default('revenue'),
    limit: wholeNumber(1, 100, { coerce: true }).default(20),
    cursor: cursor.optional(),
  })
  .and(period(MAX_SPAN_DAYS))

/** `GET /analytics/designs/:id/timeseries?bucket=&from=&to=`; hourly series are shorter. */
export const timeseriesInput = z
  .object({ id, bucket: z.enum(['hour', 'day'], { error: 'must be hour or day' }).default('day') })
  .and(z.object({ from: z.string().optional(), to: z.string().optional() }))
  .transform((value, ctx) => {
    const result = period(value.bucket === 'hour' ? MAX_HOURLY_SPAN_DAYS : MAX_SPAN_DAYS).safeParse(
      value,
    )
    if (!result.success) {
      for (const issue of result.error.issues)
        ctx.addIssue({ ...issue, code: 'custom', message: issue.message })
      return z.NEVER
    }
    return { id: value.id, bucket: value.bucket, ...result.data }
  })
