/**
 * @module
 * Dependency outages, answered one way: 503 with `Retry-After` and a code
 * naming what is down. A route or store throws {@link DependencyUnavailableError}
 * (or a runtime error the app's classifier recognises); only
 * {@link serviceUnavailable} builds the response error.
 */
import { ApiError } from './api-error.ts'

/** Seconds a client should wait after a 503 before it retries. */
export const RETRY_AFTER_SECONDS = 5

/** The 503 code of each dependency. */
export const OUTAGE_CODES = {
  database: 'database_unavailable',
  queue: 'queue_unavailable',
  metricsStore: 'metrics_store_unavailable',
  metricsSource: 'metrics_source_unavailable',
  /** Mock-up image storage (an S3-compatible bucket) not answering. */
  storage: 'storage_unavailable',
  /** A process's CPU worker pool has no room left in its queue (load shedding). */
  workerPool: 'busy',
} as const

/** Something a request depends on. */
export type Dependency = keyof typeof OUTAGE_CODES

/** A dependency is not configured or not answering now; the error handler answers 503. */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError'
  constructor(
    readonly dependency: Dependency,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** The 503 `ApiError` for an outage of `dependency`. */
export function serviceUnavailable(
  dependency: Dependency,
  message: string,
  retryAfterSeconds = RETRY_AFTER_SECONDS,
): ApiError {
  return new ApiError(503, OUTAGE_CODES[dependency], message, undefined, {
    'Retry-After': String(retryAfterSeconds),
  })
}

/** The 503 for a {@link DependencyUnavailableError}, or undefined for any other error. */
export function dependencyOutage(err: unknown): ApiError | undefined {
  if (!(err instanceof DependencyUnavailableError)) return undefined
  return serviceUnavailable(err.dependency, err.message)
}
