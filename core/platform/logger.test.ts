import { describe, expect, it, vi } from 'vitest'
import type { RequestLogEntry } from '../../edge/profiling/index.ts'
import { createLogger, millisJson, requestLog } from './logger.ts'

/** A logger whose lines are kept, parsed. */
function capturingLogger(level = 'info') {
  const lines: Record<string, unknown>[] = []
  const raw: string[] = []
  const destination = {
    write: (line: string) => {
      raw.push(line)
      lines.push(JSON.parse(line))
    },
  }
  return { logger: createLogger({ service: 'svc', level, destination }), lines, raw }
}

const ENTRY: RequestLogEntry = {
  method: 'GET',
  route: '/designs/:id',
  // A path as a client may send it: quotes, backslashes, control and non-ASCII characters.
  path: '/designs/"a\\b"\u0001é',
  status: 404,
  durationMs: 1.234,
}

describe('requestLog', () => {
  it('Should write the line pino would write for the same entry', () => {
    const { logger, lines } = capturingLogger()
    const child = logger.child({ worker: 2 })
    child.info(ENTRY, 'request')
    requestLog(child)(ENTRY)
    const [viaPino, direct] = lines
    expect(Object.keys(direct ?? {})).toEqual(Object.keys(viaPino ?? {}))
    expect({ ...direct, time: 0 }).toEqual({ ...viaPino, time: 0 })
    expect(Date.parse(String(direct?.time))).not.toBeNaN()
    expect(direct).toMatchObject({ service: 'svc', worker: 2, path: ENTRY.path })
  })

  it('Should write every line exactly as pino does, byte for byte', () => {
    const { logger, raw } = capturingLogger()
    const log = requestLog(logger)
    const withoutTime = (line: string | undefined) => line?.replace(/"time":"[^"]*"/, '')
    const paths = [
      '/ping/1',
      '/a b/é/€',
      '/q"\\',
      '/tab\t/nl\n/\u0000\u001f',
      '/lone\ud800/pair\ud83d\ude00',
    ]
    // Parts are cached per route and method, per status: vary each against the others.
    const entries: RequestLogEntry[] = [
      ...paths.map((path) => ({ ...ENTRY, path })),
      { ...ENTRY, method: 'POST' },
      { ...ENTRY, route: '/designs/"quoted"' },
      { ...ENTRY, method: 'POST', route: '/designs' },
      { ...ENTRY, status: 200, durationMs: 0 },
      { ...ENTRY, status: 599, durationMs: 1000.5 },
      { ...ENTRY, status: 0, durationMs: 12 },
    ]
    for (const entry of [...entries, ...entries]) {
      logger.info(entry, 'request')
      log(entry)
      const [viaPino, direct] = raw.splice(0)
      expect(withoutTime(direct)).toBe(withoutTime(viaPino))
    }
    // New bindings show on the next line, even within the same millisecond.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    log(ENTRY)
    raw.splice(0)
    logger.setBindings({ tenant: 'acme' })
    logger.info(ENTRY, 'request')
    log(ENTRY)
    const [viaPino, direct] = raw.splice(0)
    vi.useRealTimers()
    expect(direct).toBe(viaPino)
    expect(direct).toContain('"tenant":"acme"')
  })

  it('Should write nothing when info is not enabled, and follow level changes', () => {
    const { logger, lines } = capturingLogger('warn')
    const log = requestLog(logger)
    log(ENTRY)
    expect(lines).toHaveLength(0)
    logger.level = 'info'
    log(ENTRY)
    expect(lines).toHaveLength(1)
  })
})

describe('millisJson', () => {
  it('Should print a duration exactly as String() does', () => {
    const round = (ms: number) => Math.round(ms * 1000) / 1000
    const values = [0, 0.001, 0.01, 0.1, 0.5, 1, 1.5, 2.05, 999.999, 1000, 12345.678, 3_600_000.001]
    for (let i = 0; i < 100_000; i++) values.push(round(Math.random() * 10 ** ((i % 7) - 2)))
    // Not rounded to the microsecond, negative, huge: printed as usual.
    values.push(0.0001, 1 / 3, -1, 1e300)
    for (const ms of values) expect(millisJson(ms)).toBe(String(ms))
  })
})
