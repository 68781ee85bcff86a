/**
 * @module
 * Per-request profiling, the seed's `add_profiling`: times every request,
 * writes one structured log line and feeds the
 * `http_request_duration_seconds{service,method,route,status}` histogram
 * through an injected sink, so this file stays portable (no `node:` imports).
 */
import type { Env, Hono } from 'hono'

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

/** The fields of one request's log line. */
export interface RequestLogEntry {
  method: string
  route: string
  /** Without the query string, which may carry anything. */
  path: string
  status: number
  durationMs: number
}

/** Writes one request's log line. */
export type RequestLog = (entry: RequestLogEntry) => void

/** The request line through a plain logger: `logger.info(entry, 'request')`. */
export function logThrough(logger: ProfilingLogger): RequestLog {
  return (entry) => logger.info(entry, 'request')
}

/** Options of {@link addProfiling}. */
export interface ProfilingOptions {
  /** Service name on every metric; give the log the same name in its bindings. */
  service: string
  /** The service log's request line, e.g. {@link logThrough} or core's faster `requestLog`. */
  log: RequestLog
  observe: ObserveDuration
  /** Clock in milliseconds. @defaultValue `performance.now` */
  now?: () => number
}

/** Route label for requests no route matched: one value, so 404 scans cannot explode cardinality. */
export const UNMATCHED_ROUTE = 'unmatched'

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** What Hono's router keeps per registered handler (`hono/route`'s `RouterRoute`). */
interface RouteEntry {
  method: string
  path: string
}

/** Hono's router result: per matched handler, `[[handler, route], params]`. */
type Routed = readonly (readonly [readonly [unknown, RouteEntry], unknown])[]

/**
 * The pattern a request is routed to: the last matching route that is not a
 * `use()` middleware (method ALL, path ending in `*`). With only middleware
 * matching, a 404 is Hono's notFound (`unmatched`); anything else was answered
 * by that middleware (a mounted handler such as tRPC's `/trpc/*`).
 */
function routeLabel(routed: Routed, status: number): string {
  for (let i = routed.length - 1; i >= 0; i--) {
    const route = (routed[i] as Routed[number])[0][1]
    if (route.method !== 'ALL' || !route.path.endsWith('*')) return route.path
  }
  const last = routed.at(-1)
  return last && status !== 404 ? last[0][1].path : UNMATCHED_ROUTE
}

/**
 * Installs profiling on `app` by wrapping `app.fetch`, so it times every
 * middleware and the error handler's answer, and costs no middleware of its
 * own: Hono keeps its synchronous single-handler path, and a synchronous
 * answer is measured without a promise. Call it before handing `app.fetch` to
 * a server. The route is looked up in the app's router once per request.
 *
 * @example
 * const app = new Hono()
 * addProfiling(app, { service: 'core', logger, observe: metrics.observeRequest })
 */
export function addProfiling<E extends Env>(app: Hono<E>, options: ProfilingOptions): Hono<E> {
  const { service, log, observe } = options
  const now = options.now ?? (() => performance.now())
  const fetch = app.fetch

  const record = (request: Request, status: number, start: number): void => {
    const ms = now() - start
    const method = KNOWN_METHODS.has(request.method) ? request.method : 'OTHER'
    const path = app.getPath(request)
    // Hono answers HEAD with its GET routes.
    const routed = app.router.match(method === 'HEAD' ? 'GET' : request.method, path)[0]
    const route = routeLabel(routed, status)
    observe({ service, method, route, status: String(status) }, ms / 1000)
    // The log carries the service name in its bindings; the line adds the request.
    log({ method, route, path, status, durationMs: round(ms) })
  }

  // No closure per request: the synchronous path allocates only the log entry.
  // Named parameters, not a rest array: nothing allocated per request.
  app.fetch = (request, env, executionCtx) => {
    const start = now()
    let answer: Response | Promise<Response>
    try {
      answer = fetch(request, env, executionCtx)
    } catch (error) {
      // No error handler answered: the server turns this into a 500.
      record(request, 500, start)
      throw error
    }
    if (!(answer instanceof Promise)) {
      record(request, answer.status, start)
      return answer
    }
    return answer.then(
      (res) => {
        record(request, res.status, start)
        return res
      },
      (error: unknown) => {
        record(request, 500, start)
        throw error
      },
    )
  }
  return app
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
