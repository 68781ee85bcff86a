/**
 * @module
 * A tiny JSON-lines logger for the edge runtimes, where pino is not at home:
 * one `console.log` per line (Deno writes it to stdout, workerd to its log
 * stream), pino-shaped (`level` number, `time`, bindings, `msg`), filtered by
 * level once per call.
 */
import type { LogLevel } from '../config/index.ts'

/** What the edge app needs of a logger (pino satisfies it too). */
export interface EdgeLogger {
  debug(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

/** Options of {@link createConsoleLogger}. */
export interface ConsoleLoggerOptions {
  /** Lowest level written. @defaultValue `'info'` */
  level?: LogLevel
  /** Fields on every line, e.g. `{ service: 'edge', runtime: 'deno' }`. */
  bindings?: Record<string, unknown>
  /** Where a finished line goes. @defaultValue `console.log` */
  write?: (line: string) => void
  /** Clock. @defaultValue `Date.now` */
  now?: () => number
}

/** pino's level numbers, so log tooling reads both kinds of line alike. */
export const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
}

/** Creates the logger. */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): EdgeLogger {
  const threshold = LEVEL_VALUES[options.level ?? 'info']
  const bindings = options.bindings ?? {}
  const write = options.write ?? ((line: string) => console.log(line))
  const now = options.now ?? Date.now

  const at = (level: Exclude<LogLevel, 'silent'>) => {
    const value = LEVEL_VALUES[level]
    if (value < threshold) return () => {}
    return (obj: object, msg?: string) => {
      const line = { level: value, time: now(), ...bindings, ...obj, msg }
      write(JSON.stringify(line, replaceErrors))
    }
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** Errors stringify as `{}`; write what pino's serializer writes instead. */
function replaceErrors(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value
  return { type: value.name, message: value.message, stack: value.stack }
}
