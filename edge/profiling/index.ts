/**
 * @module
 * Per-request profiling, the seed's `add_profiling`: times every request,
 * writes one structured log line and feeds the
 * `http_request_duration_seconds{service,method,route,status}` histogram
 * through an injected sink, so this file stays portable (no `node:` imports).
 */
import type { Env, Hono } from 'hono'
import { getPath } from 'hono/utils/url'

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
 * a server.
 *
 * The route comes from the router's own answer: `app.router` is wrapped so
 * that the match Hono makes while dispatching (synchronously, before any
 * handler can await) is kept for this request, instead of parsing the URL
 * and matching a second time.
 *
 * @example
 * const app = new Hono()
 * addProfiling(app, { service: 'core', log: logThrough(logger), observe: metrics.observeRequest })
 */
export function addProfiling<E extends Env>(app: Hono<E>, options: ProfilingOptions): Hono<E> {
  const { service, log, observe } = options
  const now = options.now ?? (() => performance.now())
  const fetch = app.fetch
  const router = app.router

  // The last match of the request being dispatched, and the path it was made on.
  let routed: Routed | undefined
  let routedPath = ''
  app.router = {
    name: router.name,
    add: (method, path, handler) => router.add(method, path, handler),
    // Hono's SmartRouter replaces its own `match` after the first call: look it up each time.
    match: (method, path) => {
      const result = router.match(method, path)
      routed = result[0] as unknown as Routed
      routedPath = path
      return result
    },
  }

  const record = (
    method: string,
    matched: Routed | undefined,
    path: string,
    status: number,
    start: number,
  ): void => {
    const ms = now() - start
    const label = KNOWN_METHODS.has(method) ? method : 'OTHER'
    const route = matched ? routeLabel(matched, status) : UNMATCHED_ROUTE
    observe({ service, method: label, route, status: String(status) }, ms / 1000)
    // The log carries the service name in its bindings; the line adds the request.
    log({ method: label, route, path, status, durationMs: round(ms) })
  }

  // Named parameters, not a rest array: nothing allocated per request.
  app.fetch = (request, env, executionCtx) => {
    const start = now()
    // Saved and restored so a handler calling `app.fetch` synchronously keeps its own match.
    const outerRouted = routed
    const outerPath = routedPath
    routed = undefined
    let answer: Response | Promise<Response> | undefined
    let failure: unknown
    try {
      answer = fetch(request, env, executionCtx)
    } catch (error) {
      failure = error
    }
    const matched = routed
    // Nothing matched when dispatch failed before routing: Hono's default reading of the URL.
    const path = matched ? routedPath : getPath(request)
    routed = outerRouted
    routedPath = outerPath
    if (answer === undefined) {
      // No error handler answered: the server turns this into a 500.
      record(request.method, matched, path, 500, start)
      throw failure
    }
    if (!(answer instanceof Promise)) {
      record(request.method, matched, path, answer.status, start)
      return answer
    }
    return answer.then(
      (res) => {
        record(request.method, matched, path, res.status, start)
        return res
      },
      (error: unknown) => {
        record(request.method, matched, path, 500, start)
        throw error
      },
    )
  }
  return app
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
