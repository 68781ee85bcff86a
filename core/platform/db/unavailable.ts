/**
 * @module
 * Recognising a database that is unreachable or dropped the connection (as
 * opposed to a bad query): such a request is answered 503 with Retry-After,
 * the pool replaces the connection, and the next request succeeds.
 */
import { type ApiError, serviceUnavailable } from '../../../edge/errors/index.ts'

/** SQLSTATE classes and codes that mean "the server is not there for you". */
const UNAVAILABLE_STATES = [/^08/, /^57P0[1-3]$/, /^53300$/]
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
])
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
]

/** A 503 `ApiError` for a lost database, or undefined for any other error. */
export function databaseUnavailable(err: unknown): ApiError | undefined {
  if (!(err instanceof Error)) return undefined
  const code = (err as { code?: unknown }).code
  const lost =
    (typeof code === 'string' &&
      (UNAVAILABLE_STATES.some((re) => re.test(code)) || UNAVAILABLE_ERRNOS.has(code))) ||
    UNAVAILABLE_MESSAGES.some((re) => re.test(err.message))
  if (!lost) return undefined
  return serviceUnavailable('database', 'The database is unavailable; retry later')
}
