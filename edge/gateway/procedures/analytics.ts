/**
 * @module
 * `analytics.*`: core's read-only analytics API (`/analytics/...`), public.
 * Inputs are checked here for shape and size; core checks the meaning (period
 * bounds, cursors) and its 400s come back as `BAD_REQUEST` with its details.
 */
import { analyticsContract } from '../../contracts/analytics.ts'
import type { CoreClient } from '../core-client.ts'
import { publicProcedure, router } from '../trpc.ts'

/** `analytics.designSummary` output. */
export const designSummaryOutput = analyticsContract.summary
/** `analytics.topDesigns` output. */
export const topDesignsOutput = analyticsContract.top
/** `analytics.timeseries` output. */
export const timeseriesOutput = analyticsContract.timeseries

/** The `analytics` procedures, calling `core`. */
export function analyticsRouter(core: CoreClient) {
  return router({
    designSummary: publicProcedure
      .input(analyticsContract.summaryInput)
      .output(designSummaryOutput)
      .query(({ input: { id, ...query }, ctx }) =>
        core.call(
          {
            path: `/analytics/designs/${id}/summary`,
            query,
            client: ctx.client,
            signal: ctx.signal,
          },
          designSummaryOutput,
        ),
      ),

    topDesigns: publicProcedure
      .input(analyticsContract.topInput)
      .output(topDesignsOutput)
      .query(({ input, ctx }) =>
        core.call(
          { path: '/analytics/top', query: input, client: ctx.client, signal: ctx.signal },
          topDesignsOutput,
        ),
      ),

    timeseries: publicProcedure
      .input(analyticsContract.timeseriesInput)
      .output(timeseriesOutput)
      .query(({ input: { id, ...query }, ctx }) =>
        core.call(
          {
            path: `/analytics/designs/${id}/timeseries`,
            query,
            client: ctx.client,
            signal: ctx.signal,
          },
          timeseriesOutput,
        ),
      ),
  })
}
