import { describe, expect, it } from 'vitest'
import { nextOutageState, type OutageState } from './outage-pause.ts'

const SETTINGS = { firstMs: 100, maxMs: 350 }

describe('nextOutageState', () => {
  it('Should start an outage with the first pause', () => {
    expect(nextOutageState(undefined, 1000, SETTINGS)).toEqual({
      since: 1000,
      pauseMs: 100,
      until: 1100,
    })
  })

  it('Should keep the round for jobs that fail during its pause', () => {
    const state: OutageState = { since: 1000, pauseMs: 100, until: 1100 }
    expect(nextOutageState(state, 1050, SETTINGS)).toBe(state)
  })

  it('Should double the pause per round up to the cap, keeping the start', () => {
    const pauses: number[] = []
    let state: OutageState | undefined
    for (let now = 0; pauses.length < 5; now = state.until) {
      state = nextOutageState(state, now, SETTINGS)
      pauses.push(state.pauseMs)
    }
    expect(pauses).toEqual([100, 200, 350, 350, 350])
    expect(state?.since).toBe(0)
  })
})
