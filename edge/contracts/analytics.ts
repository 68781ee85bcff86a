/**
 * @module
 * The analytics contract: core's read-only analytics API (a design's summary,
 * the top designs, a design's time series) and the `analytics.*` procedures
 * that call it. Periods are bounded so one request cannot scan years of
 * events; a bad value is a 400 naming the field. Core's routes read the query
 * schemas (strings, as a URL carries them), the procedures the typed inputs
 * and the answers.
 */
import { z } from 'zod'
import { RANKING_METRICS } from '../analytics/ranking.ts'
import { PRODUCTS } from '../score/products.ts'
import { keysetCursor } from '../validation/keyset-cursor.ts'
import { isoTime, oneOf, wholeNumber } from './fields.ts'

/** Limits of the analytics API. */
export interface AnalyticsLimits {
  /** Longest period any query may cover. */
  maxSpanDays: number
  /** Longest period of an hourly series (744 points). */
  maxHourlySpanDays: number
  /** Period when none is given: the last N days. */
  defaultSpanDays: number
  /** Largest page of `/analytics/top`. */
  maxPageSize: number
  defaultPageSize: number
  /** Longest cursor the procedures pass on (core judges its meaning). */
  maxCursorLength: number
}

/** The limits the platform runs with. */
export const ANALYTICS_LIMITS: AnalyticsLimits = {
  maxSpanDays: 366,
  maxHourlySpanDays: 31,
  defaultSpanDays: 30,
  maxPageSize: 100,
  defaultPageSize: 20,
  maxCursorLength: 200,
}

/** The buckets of a time series. */
export const ANALYTICS_BUCKETS = ['hour', 'day'] as const

/** Error codes of the analytics API besides the shared ones (`invalid_request`, 503s). */
export const ANALYTICS_ERRORS = { notFound: 'not_found' } as const

const DAY_MS = 86_400_000

/** Builds every analytics schema from `limits` (see {@link analyticsContract}). */
export function createAnalyticsContract(limits: AnalyticsLimits = ANALYTICS_LIMITS) {
  const L = limits
  const positive = 'must be a positive whole number'
  const id = z.coerce
    .number({ error: positive })
    .int({ error: positive })
    .positive({ error: positive })
    .max(Number.MAX_SAFE_INTEGER, { error: 'is too large' })
  const time = isoTime().transform((value) => new Date(value))
  const product = oneOf(PRODUCTS)
  const metric = oneOf(RANKING_METRICS)
  const bucket = z.enum(ANALYTICS_BUCKETS, { error: 'must be hour or day' })

  /** A period [from, to): defaults to the last `defaultSpanDays`; `from` must precede `to`. */
  const period = (maxDays: number) =>
    z.object({ from: time.optional(), to: time.optional() }).transform(({ from, to }, ctx) => {
      const end = to ?? new Date()
      const start = from ?? new Date(end.getTime() - L.defaultSpanDays * DAY_MS)
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

  /** An opaque keyset cursor of `[value, designId]`; the value is a decimal. */
  const cursor = keysetCursor((key) => /^-?\d+(\.\d+)?$/.test(key)).transform(({ key, id }) => ({
    value: key,
    id,
  }))

  // The procedures' inputs: typed, checked for shape and size; core judges the meaning.
  const designId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
  const inputPeriod = {
    from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional(),
    to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional(),
  }

  const figures = {
    impressions: z.number(),
    clicks: z.number(),
    addToCart: z.number(),
    purchases: z.number(),
    revenue: z.number(),
    ctr: z.number(),
    conversion: z.number(),
  }

  return {
    limits: L,
    /** `GET /analytics/designs/:id/summary?from=&to=&product=` */
    summaryQuery: z.object({ id, product: product.optional() }).and(period(L.maxSpanDays)),
    /** `GET /analytics/top?metric=&from=&to=&limit=&cursor=` */
    topQuery: z
      .object({
        metric: metric.default('revenue'),
        limit: wholeNumber(1, L.maxPageSize, { coerce: true }).default(L.defaultPageSize),
        cursor: cursor.optional(),
      })
      .and(period(L.maxSpanDays)),
    /** `GET /analytics/designs/:id/timeseries?bucket=&from=&to=`; hourly series are shorter. */
    timeseriesQuery: z
      .object({ id, bucket: bucket.default('day') })
      .and(z.object({ from: z.string().optional(), to: z.string().optional() }))
      .transform((value, ctx) => {
        const maxDays = value.bucket === 'hour' ? L.maxHourlySpanDays : L.maxSpanDays
        const result = period(maxDays).safeParse(value)
        if (!result.success) {
          for (const issue of result.error.issues)
            ctx.addIssue({ ...issue, code: 'custom', message: issue.message })
          return z.NEVER
        }
        return { id: value.id, bucket: value.bucket, ...result.data }
      }),
    /** `analytics.designSummary` input. */
    summaryInput: z.object({
      id: designId,
      product: z.enum(PRODUCTS).optional(),
      ...inputPeriod,
    }),
    /** `analytics.topDesigns` input. */
    topInput: z.object({
      metric: z.enum(RANKING_METRICS).optional(),
      limit: z.number().int().min(1).max(L.maxPageSize).optional(),
      cursor: z.string().max(L.maxCursorLength).optional(),
      ...inputPeriod,
    }),
    /** `analytics.timeseries` input. */
    timeseriesInput: z.object({
      id: designId,
      bucket: z.enum(ANALYTICS_BUCKETS).optional(),
      ...inputPeriod,
    }),
    /** A design's summary. */
    summary: z.object({
      designId: z.number(),
      product: z.enum(PRODUCTS).nullable(),
      from: z.string(),
      to: z.string(),
      ...figures,
    }),
    /** A page of top designs. */
    top: z.object({
      metric: z.enum(RANKING_METRICS),
      from: z.string(),
      to: z.string(),
      items: z.array(
        z.object({
          designId: z.number(),
          slug: z.string(),
          title: z.string(),
          value: z.number(),
          ...figures,
        }),
      ),
      nextCursor: z.string().nullable(),
    }),
    /** A design's time series. */
    timeseries: z.object({
      designId: z.number(),
      bucket: z.enum(ANALYTICS_BUCKETS),
      from: z.string(),
      to: z.string(),
      points: z.array(z.object({ bucket: z.string(), ...figures })),
    }),
  }
}

/** The schemas of one analytics contract. */
export type AnalyticsContract = ReturnType<typeof createAnalyticsContract>

/** The contract the platform runs with. */
export const analyticsContract: AnalyticsContract = createAnalyticsContract()
