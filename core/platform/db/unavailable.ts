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

/**
 * Whether `err` (or an error it wraps as `cause`) means the database is not
 * there, rather than that the query or its data is wrong. Pure; the queue
 * workers use it to pause instead of spending an attempt.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  // Bounded walk: a driver or a store may wrap the socket error once or twice.
  let e = err
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    if (lostConnection(e)) return true
    e = e.cause
  }
  return false
}

function lostConnection(err: Error): boolean {
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') {
    if (UNAVAILABLE_STATES.some((re) => re.test(code)) || UNAVAILABLE_ERRNOS.has(code)) return true
  }
  return UNAVAILABLE_MESSAGES.some((re) => re.test(err.message))
}

/** A 503 `ApiError` for a lost database, or undefined for any other error. */
export function databaseUnavailable(err: unknown): ApiError | undefined {
  if (!isDatabaseUnavailable(err)) return undefined
  return serviceUnavailable('database', 'The database is unavailable; retry later')
}
