import { describe, expect, it } from 'vitest'
import { RestartBackoff } from './backoff.ts'

describe('RestartBackoff', () => {
  it('Should double the delay for repeated quick crashes, up to the cap', () => {
    const backoff = new RestartBackoff({ baseMs: 100, maxMs: 1000, stableMs: 5000 })
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.nextDelay(10))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ])
  })

  it('Should start over after a worker lived long enough', () => {
    const backoff = new RestartBackoff({ baseMs: 100, stableMs: 5000 })
    backoff.nextDelay(10)
    backoff.nextDelay(10)
    expect(backoff.nextDelay(6000)).toBe(100)
  })
})
