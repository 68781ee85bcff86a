import { type Job, RateLimitError } from 'bullmq'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../tests/support/logs.ts'
import { guardOutages } from './outage-guard.ts'

const OUTAGE = 'db away'

/** A guard around a processor that fails with `errors` in turn, then returns 'ok'. */
function setup(errors: string[]) {
  const logger = memoryLogger()
  const pauses: number[] = []
  let clock = 0
  const processor = guardOutages<unknown, string>(
    async () => {
      const message = errors.shift()
      if (message) throw new Error(message)
      return 'ok'
    },
    {
      isOutage: (err) => err instanceof Error && err.message === OUTAGE,
      pause: { firstMs: 100, maxMs: 250 },
      rateLimit: async (ms) => {
        pauses.push(ms)
        clock += ms
      },
      logger,
      now: () => clock,
    },
  )
  const run = () => processor({} as Job<unknown, string>)
  return { logger, pauses, run }
}

describe('guardOutages', () => {
  it('Should rate-limit on an outage, growing the pause, and log its start and end once', async () => {
    const { logger, pauses, run } = setup([OUTAGE, OUTAGE, OUTAGE, OUTAGE])
    for (let i = 0; i < 4; i++) await expect(run()).rejects.toBeInstanceOf(RateLimitError)
    expect(await run()).toBe('ok')
    expect(pauses).toEqual([100, 200, 250, 250])
    expect(logger.lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'dependency unavailable: jobs paused, attempts kept'],
      ['info', 'dependency back: jobs resumed'],
    ])
    expect(logger.lines[1]?.obj).toEqual({ downMs: 800 })
  })

  it('Should let other errors through as failed attempts, without pausing', async () => {
    const { logger, pauses, run } = setup(['bad row'])
    await expect(run()).rejects.toThrow('bad row')
    expect(await run()).toBe('ok')
    expect(pauses).toEqual([])
    expect(logger.lines).toEqual([])
  })

  it('Should start from the first pause again after a success', async () => {
    // '' succeeds: the outage ends between the second and the third failure.
    const { pauses, run } = setup([OUTAGE, OUTAGE, '', OUTAGE])
    await expect(run()).rejects.toBeInstanceOf(RateLimitError)
    await expect(run()).rejects.toBeInstanceOf(RateLimitError)
    expect(await run()).toBe('ok')
    await expect(run()).rejects.toBeInstanceOf(RateLimitError)
    expect(pauses).toEqual([100, 200, 100])
  })
})
