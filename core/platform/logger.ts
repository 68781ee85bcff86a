/**
 * @module
 * The pino logger every Node process uses: JSON lines to stdout (or a file),
 * the service name on every line, and credentials redacted wherever they appear.
 */
import { type DestinationStream, type Logger, pino } from 'pino'

export type { Logger } from 'pino'

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  service: string
  /** pino level. @defaultValue `'info'` */
  level?: string
  /** Where lines go. @defaultValue stdout */
  destination?: DestinationStream
}

/** Paths that may carry a credential; pino replaces their values. */
export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'password',
  'secret',
  'token',
  '*.password',
  '*.secret',
  '*.token',
]

/** Creates a service logger. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  )
}
