/**
 * @module
 * The pino logger every Node process uses: JSON lines to stdout (or a file),
 * the service name on every line, and credentials redacted wherever they appear.
 */
import { type DestinationStream, type Logger, pino } from 'pino'
import type { RequestLog } from '../../edge/profiling/index.ts'
import { logDestination } from './log-destination.ts'

export type { Logger } from 'pino'

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  service: string
  /** pino level. @defaultValue `'info'` */
  level?: string
  /** Where lines go. @defaultValue stdout, one write per event-loop turn ({@link logDestination}) */
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
    options.destination ?? logDestination(1),
  )
}

/**
 * The profiling's request line, written to `logger`'s destination as the line
 * `logger.info(entry, 'request')` would write. Its fields are known and carry
 * no credential (the path has no query string), so it is formatted directly:
 * pino's generic serialisation and wildcard redaction were most of a trivial
 * request's profiling cost.
 */
export function requestLog(logger: Logger): RequestLog {
  // pino.symbols are pino's documented hooks for code that writes beside it.
  const internals = logger as unknown as Record<symbol, unknown>
  const stream = internals[pino.symbols.streamSym] as DestinationStream
  // Many requests end in the same millisecond: format its timestamp once.
  let lastMs = 0
  let lastIso = ''
  // Routes are a small fixed set (patterns, never raw paths): escape each once,
  // up to a bound in case a caller passes something unbounded.
  const routeJson = new Map<string, string>()
  const level = logger.levels.values.info
  return (entry) => {
    if (!logger.isLevelEnabled('info')) return
    // The bindings (service, pid, child bindings) come pre-serialised, with a leading comma.
    const bindings = internals[pino.symbols.chindingsSym] as string
    let route = routeJson.get(entry.route)
    if (route === undefined) {
      route = JSON.stringify(entry.route)
      if (routeJson.size < 1000) routeJson.set(entry.route, route)
    }
    const ms = Date.now()
    if (ms !== lastMs) {
      lastMs = ms
      lastIso = new Date(ms).toISOString()
    }
    stream.write(
      `{"level":${level},"time":"${lastIso}"${bindings},"method":"${entry.method}","route":${route},"path":${JSON.stringify(entry.path)},"status":${entry.status},"durationMs":${entry.durationMs},"msg":"request"}\n`,
    )
  }
}
