/**
 * @module
 * From HTTP statuses (core's answers, the edge's `ApiError`) to tRPC error
 * codes, so a client sees the same status through the gateway as from the
 * service behind it.
 */
import { TRPCError } from '@trpc/server'
import { ApiError, dependencyOutage } from '../errors/index.ts'

type TrpcCode = TRPCError['code']

const BY_STATUS: Partial<Record<number, TrpcCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  501: 'NOT_IMPLEMENTED',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
}

/** The tRPC code of an HTTP status: 4xx keep their meaning, other 5xx are a bad gateway. */
export function trpcCodeOf(status: number): TrpcCode {
  return BY_STATUS[status] ?? (status >= 500 ? 'BAD_GATEWAY' : 'BAD_REQUEST')
}

/**
 * Rethrows an edge `ApiError` (or a `DependencyUnavailableError`, as its 503)
 * as the matching `TRPCError`; anything else as it is.
 */
export function asTrpcError(err: unknown): unknown {
  const api = err instanceof ApiError ? err : dependencyOutage(err)
  if (!api) return err
  return new TRPCError({ code: trpcCodeOf(api.status), message: api.message, cause: api })
}
