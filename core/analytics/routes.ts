/**
 * @module
 * The analytics API on core: design summary, top designs and a design's time
 * series. Read-only and public to the gateway; inputs validated with zod.
 */
import type { Hono } from 'hono'
import { ANALYTICS_ERRORS, analyticsContract } from '../../edge/contracts/analytics.ts'
import { ApiError } from '../../edge/errors/index.ts'
import { validate } from '../../edge/validation/index.ts'
import type { CoreRoutes } from '../http/app.ts'
import type { AnalyticsStore } from './store.ts'

/** Routes over `store`. */
export function analyticsRoutes(store: AnalyticsStore): CoreRoutes {
  return (app: Hono) => {
    const requireDesign = async (id: number) => {
      if (!(await store.designExists(id)))
        throw new ApiError(404, ANALYTICS_ERRORS.notFound, `design ${id} does not exist`)
    }

    app.get('/analytics/designs/:id/summary', async (c) => {
      const input = validate(analyticsContract.summaryQuery, {
        ...c.req.query(),
        id: c.req.param('id'),
      })
      await requireDesign(input.id)
      const totals = await store.designSummary(input.id, input, input.product)
      return c.json({
        designId: input.id,
        product: input.product ?? null,
        from: input.from.toISOString(),
        to: input.to.toISOString(),
        ...totals,
      })
    })

    app.get('/analytics/top', async (c) => {
      const input = validate(analyticsContract.topQuery, c.req.query())
      const page = await store.topDesigns(input.metric, input, input.limit, input.cursor)
      return c.json({
        metric: input.metric,
        from: input.from.toISOString(),
        to: input.to.toISOString(),
        ...page,
      })
    })

    app.get('/analytics/designs/:id/timeseries', async (c) => {
      const input = validate(analyticsContract.timeseriesQuery, {
        ...c.req.query(),
        id: c.req.param('id'),
      })
      await requireDesign(input.id)
      const points = await store.designTimeseries(input.id, input.bucket, input)
      return c.json({
        designId: input.id,
        bucket: input.bucket,
        from: input.from.toISOString(),
        to: input.to.toISOString(),
        points,
      })
    })
  }
}
