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
  /** Where lines go. @defaultValue stdout, written in batches of up to 10 ms ({@link logDestination}) */
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
 * request's profiling cost. A line is five pieces: the start (level, time,
 * bindings; the same for every line of a millisecond), the method and route
 * (one string per pair, made once), the path, the status (one per code) and
 * the duration, so it is built from a handful of concatenations.
 */
export function requestLog(logger: Logger): RequestLog {
  // pino.symbols are pino's documented hooks for code that writes beside it.
  const internals = logger as unknown as Record<symbol, unknown>
  const stream = internals[pino.symbols.streamSym] as DestinationStream
  const level = logger.levels.values.info
  let lastMs = 0
  let lastBindings = ''
  let start = ''
  // Routes are a small fixed set (patterns, never raw paths), methods too;
  // bounded in case a caller passes something unbounded.
  const routeParts = new Map<string, Map<string, string>>()
  const statusParts: string[] = []
  return (entry) => {
    if (!logger.isLevelEnabled('info')) return
    // The bindings (service, pid, child bindings) come pre-serialised, with a leading comma.
    const bindings = internals[pino.symbols.chindingsSym] as string
    const ms = Date.now()
    if (ms !== lastMs || bindings !== lastBindings) {
      lastMs = ms
      lastBindings = bindings
      start = `{"level":${level},"time":"${new Date(ms).toISOString()}"${bindings},"method":"`
    }
    stream.write(
      start +
        routePart(routeParts, entry.method, entry.route) +
        jsonString(entry.path) +
        statusPart(statusParts, entry.status) +
        millisJson(entry.durationMs) +
        ',"msg":"request"}\n',
    )
  }
}

/** `,"status":200,"durationMs":`, made once per HTTP status code. */
function statusPart(cache: string[], status: number): string {
  const part = cache[status]
  if (part !== undefined) return part
  const made = `,"status":${status},"durationMs":`
  if (Number.isInteger(status) && status >= 100 && status < 600) cache[status] = made
  return made
}

/** `GET","route":"/designs/:id","path":`, made once per method and route. */
function routePart(cache: Map<string, Map<string, string>>, method: string, route: string): string {
  let byMethod = cache.get(route)
  if (byMethod === undefined) {
    byMethod = new Map()
    if (cache.size < 1000) cache.set(route, byMethod)
  }
  let part = byMethod.get(method)
  if (part === undefined) {
    part = `${method}","route":${JSON.stringify(route)},"path":`
    byMethod.set(method, part)
  }
  return part
}

/** Characters JSON.stringify escapes in a string (lone surrogates included). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON escapes exactly these control characters.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/** `JSON.stringify(text)`, without its cost for the usual path that needs no escaping. */
function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`
}

/** The fractions of a millisecond as JSON writes them: '', '.001' ... '.1' ... '.999'. */
const FRACTIONS = Array.from({ length: 1000 }, (_, micros) =>
  micros === 0 ? '' : `.${String(micros).padStart(3, '0').replace(/0+$/, '')}`,
)

/**
 * `String(ms)` for a duration in whole microseconds, as profiling rounds it:
 * printing a float takes ~100 ns, a quarter of the whole line's formatting.
 * Any other value is printed as usual.
 */
export function millisJson(ms: number): string {
  const micros = Math.round(ms * 1000)
  if (micros / 1000 !== ms || micros < 0 || micros > Number.MAX_SAFE_INTEGER) return String(ms)
  return `${Math.floor(micros / 1000)}${FRACTIONS[micros % 1000]}`
}
