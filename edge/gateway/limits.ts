/**
 * @module
 * Size limits of gateway requests, checked before tRPC parses anything: the
 * body of a POST (413), and the `input` of a GET, which rides in the URL (413
 * too: it is the request's content, only placed in the query string). The
 * number of calls in a batch is tRPC's `maxBatchSize` (400).
 */
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { ApiError } from '../errors/index.ts'

/** The gateway's default limits. */
export const GATEWAY_LIMITS = {
  /** Largest POST body (a full signal batch fits). */
  maxBodyBytes: 1024 * 1024,
  /** Largest GET `input` (URL-decoded characters); URLs much longer break at proxies anyway. */
  maxQueryInputChars: 16 * 1024,
  /** Most calls in one batch. */
  maxBatchCalls: 20,
} as const

/** Options of {@link requestLimits}. */
export interface RequestLimitsOptions {
  /** @defaultValue {@link GATEWAY_LIMITS.maxBodyBytes} */
  maxBodyBytes?: number
  /** @defaultValue {@link GATEWAY_LIMITS.maxQueryInputChars} */
  maxQueryInputChars?: number
}

/**
 * Refuses a body over `maxBodyBytes` and a GET `input` over
 * `maxQueryInputChars`, with 413 JSON.
 *
 * @example
 * app.use('/trpc/*', requestLimits())
 */
export function requestLimits(options: RequestLimitsOptions = {}): MiddlewareHandler {
  const maxBodyBytes = options.maxBodyBytes ?? GATEWAY_LIMITS.maxBodyBytes
  const maxInput = options.maxQueryInputChars ?? GATEWAY_LIMITS.maxQueryInputChars
  if (!(maxBodyBytes > 0) || !(maxInput > 0)) {
    throw new Error('requestLimits needs maxBodyBytes > 0 and maxQueryInputChars > 0')
  }
  const limitBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `Request body exceeds ${maxBodyBytes} bytes`)
    },
  })

  return async function requestLimits(c, next) {
    if (c.req.method !== 'GET') return limitBody(c, next)
    const input = c.req.query('input')
    if (input !== undefined && input.length > maxInput) {
      throw new ApiError(413, 'input_too_large', `input exceeds ${maxInput} characters`)
    }
    await next()
  }
}
