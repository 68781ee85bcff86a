import { describe, expect, it } from 'vitest'
import type { RequestLogEntry } from '../../edge/profiling/index.ts'
import { createLogger, requestLog } from './logger.ts'

/** A logger whose lines are kept, parsed. */
function capturingLogger(level = 'info') {
  const lines: Record<string, unknown>[] = []
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) }
  return { logger: createLogger({ service: 'svc', level, destination }), lines }
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
