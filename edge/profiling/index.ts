/**
 * @module
 * Per-request profiling, the seed's `add_profiling`: times every request,
 * writes one structured log line and feeds the
 * `http_request_duration_seconds{service,method,route,status}` histogram
 * through an injected sink, so this file stays portable (no `node:` imports).
 */
import type { Context, Env, Hono, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'

/** Labels of one observation; `route` is the matched pattern, never the raw path. */
export interface RequestLabels {
  service: string
  method: string
  route: string
  status: string
}

/** Receives each request's duration in seconds (e.g. a prom-client histogram's `observe`). */
export type ObserveDuration = (labels: RequestLabels, seconds: number) => void

/** Log sink; pino satisfies it. */
export interface ProfilingLogger {
  info(obj: object, msg?: string): void
}

/** Options of {@link profiling} and {@link addProfiling}. */
export interface ProfilingOptions {
  /** Service name on every metric; give the logger the same name in its bindings. */
  service: string
  logger: ProfilingLogger
  observe: ObserveDuration
  /** Clock in milliseconds. @defaultValue `performance.now` */
  now?: () => number
}

/** Route label for requests no route matched: one value, so 404 scans cannot explode cardinality. */
export const UNMATCHED_ROUTE = 'unmatched'

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * The profiling middleware. Mount it first (`app.use('*', ...)`) so it also
 * times the other middleware and the error handler's response.
 */
export function profiling(options: ProfilingOptions): MiddlewareHandler {
  const { service, logger, observe } = options
  const now = options.now ?? (() => performance.now())

  return async function profiling(c, next) {
    const start = now()
    try {
      await next()
    } finally {
      const ms = now() - start
      const route = routeLabel(c)
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER'
      // An exception escaping here means no onError ran: Hono answers 500.
      const status = String(c.finalized ? c.res.status : 500)
      observe({ service, method, route, status }, ms / 1000)
      // The logger carries the service name in its bindings; the line adds the request.
      logger.info(
        { method, route, path: c.req.path, status: Number(status), durationMs: round(ms) },
        'request',
      )
    }
  }
}

/**
 * The pattern of the route that answered. routeIndex points at the last route
 * dispatched; when that is a wildcard `use()` middleware and the answer is 404,
 * no handler matched (Hono's notFound answered).
 */
function routeLabel(c: Context): string {
  const route = matchedRoutes(c).at(c.req.routeIndex)
  if (!route) return UNMATCHED_ROUTE
  const middlewareOnly = route.method === 'ALL' && route.path.endsWith('*') && c.res.status === 404
  return middlewareOnly ? UNMATCHED_ROUTE : route.path
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

/**
 * Installs {@link profiling} on every route of `app`. Call it before adding routes.
 *
 * @example
 * const app = new Hono()
 * addProfiling(app, { service: 'core', logger, observe: metrics.observeRequest })
 */
export function addProfiling<E extends Env>(app: Hono<E>, options: ProfilingOptions): Hono<E> {
  app.use('*', profiling(options))
  return app
}
