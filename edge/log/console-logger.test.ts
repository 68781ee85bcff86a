import { describe, expect, it } from 'vitest'
import { createConsoleLogger } from './index.ts'

function capture(options: Parameters<typeof createConsoleLogger>[0] = {}) {
  const lines: Record<string, unknown>[] = []
  const logger = createConsoleLogger({
    now: () => 1_700_000_000_000,
    ...options,
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  })
  return { logger, lines }
}

describe('createConsoleLogger', () => {
  it('Should write one pino-shaped JSON line with the bindings', () => {
    const { logger, lines } = capture({ bindings: { service: 'edge', runtime: 'deno' } })
    logger.info({ route: '/score', durationMs: 1.5 }, 'request')
    expect(lines).toEqual([
      {
        level: 30,
        time: 1_700_000_000_000,
        service: 'edge',
        runtime: 'deno',
        route: '/score',
        durationMs: 1.5,
        msg: 'request',
      },
    ])
  })

  it('Should drop lines below the level and write nothing when silent', () => {
    const warn = capture({ level: 'warn' })
    warn.logger.debug({}, 'd')
    warn.logger.info({}, 'i')
    warn.logger.warn({}, 'w')
    warn.logger.error({}, 'e')
    expect(warn.lines.map((l) => l.msg)).toEqual(['w', 'e'])
    const silent = capture({ level: 'silent' })
    silent.logger.error({}, 'e')
    expect(silent.lines).toEqual([])
  })

  it('Should write errors with their type, message and stack', () => {
    const { logger, lines } = capture()
    logger.warn({ err: new TypeError('fetch failed'), where: 'cache' }, 'score dependency failed')
    expect(lines[0]).toMatchObject({
      level: 40,
      where: 'cache',
      err: {
        type: 'TypeError',
        message: 'fetch failed',
        stack: expect.stringContaining('fetch failed'),
      },
    })
  })
})
