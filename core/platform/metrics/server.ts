/**
 * @module
 * The small HTTP server every process runs on `METRICS_PORT`: `/metrics`
 * (Prometheus text), `/healthz` (alive) and `/readyz` (dependencies answer).
 * It is separate from the service's own port so the public edge never routes it.
 */
import { Hono } from 'hono'
import type { Registry } from 'prom-client'
import { errorHandler, notFoundHandler } from '../../../edge/errors/index.ts'
import { type HealthCheck, runHealthChecks } from '../health.ts'
import { type Listening, listen } from '../http/listen.ts'
import type { Logger } from '../logger.ts'

/** Options of {@link createMetricsApp} and {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** Produces the exposition text; a registry's `metrics()` or a cluster aggregate. */
  metrics: () => Promise<string>
  contentType: string
  readiness?: readonly HealthCheck[]
  logger: Logger
}

/** The metrics app, separate from its server so tests can `app.request()` it. */
export function createMetricsApp(options: MetricsServerOptions): Hono {
  const app = new Hono()
  app.onError(errorHandler(options.logger))
  app.notFound(notFoundHandler)
  app.get('/metrics', async (c) => {
    c.header('Content-Type', options.contentType)
    c.header('Cache-Control', 'no-store')
    return c.body(await options.metrics())
  })
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    const report = await runHealthChecks(options.readiness ?? [])
    return c.json(report, report.ready ? 200 : 503)
  })
  return app
}

/** Options for a process's own registry. */
export function registryMetrics(
  registry: Registry,
): Pick<MetricsServerOptions, 'metrics' | 'contentType'> {
  return { metrics: () => registry.metrics(), contentType: registry.contentType }
}

/** Starts the metrics server; resolves once it listens, with its port and a `close()`. */
export function startMetricsServer(
  options: MetricsServerOptions & { port: number; hostname?: string },
): Promise<Listening> {
  const app = createMetricsApp(options)
  return listen(app, options.port, options.hostname)
}
