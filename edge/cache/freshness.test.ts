import { describe, expect, it } from 'vitest'
import { freshness } from './freshness.ts'

const ttls = { softTtlMs: 60_000, hardTtlMs: 300_000 }

describe('freshness', () => {
  it('Should call a value fresh, stale past the soft TTL and expired at the hard TTL', () => {
    const never = { ...ttls, random: () => 1 } // -ln(1) = 0: XFetch never fires
    expect(freshness(0, 50, never)).toBe('fresh')
    expect(freshness(59_999, 50, never)).toBe('fresh')
    expect(freshness(60_000, 50, never)).toBe('stale')
    expect(freshness(299_999, 50, never)).toBe('stale')
    expect(freshness(300_000, 50, never)).toBe('expired')
  })

  it('Should refresh early when age + delta * beta * -ln(rand) reaches the soft TTL', () => {
    const dice = { ...ttls, random: () => Math.exp(-2) } // -ln(rand) = 2
    // 59_000 + 500 * 1 * 2 = 60_000
    expect(freshness(59_000, 500, dice)).toBe('early')
    expect(freshness(58_999, 500, dice)).toBe('fresh')
    // beta scales the head start; 0 turns it off.
    expect(freshness(58_000, 500, { ...dice, beta: 2 })).toBe('early')
    expect(freshness(59_999, 500, { ...dice, beta: 0 })).toBe('fresh')
    // No measured compute time yet: nothing to start early for.
    expect(freshness(59_999, 0, dice)).toBe('fresh')
  })

  it('Should spread early refreshes: likelier the older the value', () => {
    let i = 0
    const spread = { ...ttls, random: () => (i++ % 1000) / 1000 + 0.0005 }
    const early = (age: number) =>
      Array.from({ length: 1000 }, () => freshness(age, 1000, spread)).filter((f) => f === 'early')
        .length
    expect(early(50_000)).toBeLessThan(early(55_000))
    expect(early(55_000)).toBeLessThan(early(59_000))
    expect(early(59_000)).toBeLessThan(1000)
  })
})
