/**
 * @module
 * `GET /analytics/latency?top=20`: the seed's "monitor logs for high latency
 * endpoints", served. Reads the request-duration histograms of every service
 * it is told about (each one's `/metrics`; under the cluster, the primary's
 * aggregate) and ranks routes by p95, computed in the latency pool.
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import { wholeNumber } from '../../edge/contracts/fields.ts'
import { DependencyUnavailableError } from '../../edge/errors/index.ts'
import { validate } from '../../edge/validation/index.ts'
import type { CoreRoutes } from '../http/app.ts'
import type { LatencyPool } from '../pools/latency/index.ts'

const input = z.object({
  top: wholeNumber(1, 100, { coerce: true }).default(20),
})

/** Options of {@link latencyRoute}. */
export interface LatencyRouteOptions {
  pool: LatencyPool
  /** `/metrics` URLs to read (internal addresses only: they come from config, never a request). */
  metricsUrls: readonly string[]
  /** Per-source deadline. @defaultValue 2000 */
  timeoutMs?: number
}

/** The latency report route. */
export function latencyRoute(options: LatencyRouteOptions): CoreRoutes {
  return (app: Hono) => {
    app.get('/analytics/latency', async (c) => {
      const { top } = validate(input, c.req.query())
      const texts = await Promise.all(
        options.metricsUrls.map(async (url) => {
          const res = await fetch(url, {
            signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
          }).catch(() => null)
          return res?.ok ? res.text() : null
        }),
      )
      const available = texts.filter((t): t is string => t !== null)
      if (available.length === 0)
        throw new DependencyUnavailableError('metricsSource', 'No metrics source answered')
      const report = await options.pool.run({ kind: 'metrics', text: available.join('\n') })
      return c.json({
        sources: available.length,
        of: options.metricsUrls.length,
        routes: report.slice(0, top),
      })
    })
  }
}
