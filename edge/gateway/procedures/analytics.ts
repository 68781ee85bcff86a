/**
 * @module
 * `analytics.*`: core's read-only analytics API (`/analytics/...`), public.
 * Inputs are checked here for shape and size; core checks the meaning (period
 * bounds, cursors) and its 400s come back as `BAD_REQUEST` with its details.
 */
import { z } from 'zod'
import { RANKING_METRICS } from '../../analytics/ranking.ts'
import { PRODUCTS } from '../../score/products.ts'
import type { CoreClient } from '../core-client.ts'
import { publicProcedure, router } from '../trpc.ts'

const designId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const time = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' })
const period = { from: time.optional(), to: time.optional() }

const figures = {
  impressions: z.number(),
  clicks: z.number(),
  addToCart: z.number(),
  purchases: z.number(),
  revenue: z.number(),
  ctr: z.number(),
  conversion: z.number(),
}

/** `analytics.designSummary` output. */
export const designSummaryOutput = z.object({
  designId: z.number(),
  product: z.enum(PRODUCTS).nullable(),
  from: z.string(),
  to: z.string(),
  ...figures,
})

/** `analytics.topDesigns` output. */
export const topDesignsOutput = z.object({
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
})

/** `analytics.timeseries` output. */
export const timeseriesOutput = z.object({
  designId: z.number(),
  bucket: z.enum(['hour', 'day']),
  from: z.string(),
  to: z.string(),
  points: z.array(z.object({ bucket: z.string(), ...figures })),
})

/** The `analytics` procedures, calling `core`. */
export function analyticsRouter(core: CoreClient) {
  return router({
    designSummary: publicProcedure
      .input(z.object({ id: designId, product: z.enum(PRODUCTS).optional(), ...period }))
      .output(designSummaryOutput)
      .query(({ input: { id, ...query }, ctx }) =>
        core.call(
          { path: `/analytics/designs/${id}/summary`, query, signal: ctx.signal },
          designSummaryOutput,
        ),
      ),

    topDesigns: publicProcedure
      .input(
        z.object({
          metric: z.enum(RANKING_METRICS).optional(),
          limit: z.number().int().min(1).max(100).optional(),
          cursor: z.string().max(200).optional(),
          ...period,
        }),
      )
      .output(topDesignsOutput)
      .query(({ input, ctx }) =>
        core.call({ path: '/analytics/top', query: input, signal: ctx.signal }, topDesignsOutput),
      ),

    timeseries: publicProcedure
      .input(z.object({ id: designId, bucket: z.enum(['hour', 'day']).optional(), ...period }))
      .output(timeseriesOutput)
      .query(({ input: { id, ...query }, ctx }) =>
        core.call(
          { path: `/analytics/designs/${id}/timeseries`, query, signal: ctx.signal },
          timeseriesOutput,
        ),
      ),
  })
}
