/**
 * @module
 * One JSON error shape for every service (DESIGN.md "Contracts"):
 * `{ error: { code, message, details? } }`. Handlers throw {@link ApiError};
 * {@link errorHandler} is the single place that turns anything thrown into a
 * response, and the only place a stack trace is seen (in the log, never the body).
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ApiError } from './api-error.ts'
import { dependencyOutage } from './unavailable.ts'

export { ApiError } from './api-error.ts'
export {
  type Dependency,
  DependencyUnavailableError,
  dependencyOutage,
  OUTAGE_CODES,
  RETRY_AFTER_SECONDS,
  serviceUnavailable,
} from './unavailable.ts'

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}

/** Minimal logger the handler needs; pino satisfies it. */
export interface ErrorLogger {
  error(obj: object, msg?: string): void
}

const STATUS_CODES: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
}

/** Builds the JSON error response for a status, code and message. */
export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: unknown,
): Response {
  const body: ErrorBody = {
    error: details === undefined ? { code, message } : { code, message, details },
  }
  return c.json(body, status)
}

/**
 * Turns a runtime-specific error into an {@link ApiError} (e.g. a lost
 * database connection into a 503), or leaves it alone (undefined).
 */
export type ErrorClassifier = (err: unknown) => ApiError | undefined

/**
 * Creates the app's `onError` handler. `ApiError` and Hono's `HTTPException`
 * keep their status; a {@link DependencyUnavailableError}, and whatever
 * `classify` recognises, is a 503 with `Retry-After`; anything else is logged
 * with its stack and answered 500 with a generic message.
 */
export function errorHandler(logger: ErrorLogger, classify?: ErrorClassifier): ErrorHandler {
  return function onError(thrown, c) {
    const classified =
      thrown instanceof ApiError ? undefined : (dependencyOutage(thrown) ?? classify?.(thrown))
    if (classified) logger.error({ err: thrown, path: c.req.path }, 'dependency failed')
    const err = classified ?? thrown
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value)
      return errorResponse(c, err.status, err.code, err.message, err.details)
    }
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode
      return errorResponse(
        c,
        status,
        STATUS_CODES[status] ?? 'http_error',
        err.message || 'Request failed',
      )
    }
    logger.error({ err, method: c.req.method, path: c.req.path }, 'unhandled error')
    return errorResponse(c, 500, 'internal', 'Internal server error')
  }
}

/** `notFound` handler answering the JSON error shape. */
export const notFoundHandler: NotFoundHandler = (c) =>
  errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`)
