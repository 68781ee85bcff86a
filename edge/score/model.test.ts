import { describe, expect, it } from 'vitest'
import { computeScore, SCORE_WEIGHTS, type ScoreAggregates } from './model.ts'

const now = new Date('2026-06-01T12:00:00Z')
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000)

const agg = (over: Partial<ScoreAggregates>): ScoreAggregates => ({
  recentCount: 10,
  recentSum: 600,
  baselineCount: 60,
  baselineSum: 600,
  sources: 3,
  lastObservedAt: hoursAgo(0),
  ...over,
})

describe('computeScore', () => {
  it('Should score a topic without signals 0', () => {
    expect(
      computeScore(
        agg({
          recentCount: 0,
          baselineCount: 0,
          recentSum: 0,
          baselineSum: 0,
          sources: 0,
          lastObservedAt: null,
        }),
        now,
      ),
    ).toEqual({
      score: 0,
      components: { momentum: 0, volume: 0, diversity: 0, recency: 0 },
    })
  })

  it('Should weigh the components as documented', () => {
    // recent 600 vs baseline 600/6 = 100 a day: growth log2(601/101) = 2.573 -> momentum 1 (clamped)
    // volume log10(1201)/log10(100001) = 0.6159; diversity 3/5; recency exp(0) = 1
    const { score, components } = computeScore(agg({}), now)
    expect(components.momentum).toBe(1)
    expect(components.volume).toBeCloseTo(Math.log10(1201) / Math.log10(100_001), 4)
    expect(components.diversity).toBe(0.6)
    expect(components.recency).toBe(1)
    const expected =
      100 * (0.4 * 1 + 0.25 * (Math.log10(1201) / Math.log10(100_001)) + 0.2 * 0.6 + 0.15 * 1)
    expect(score).toBe(Math.round(expected * 10) / 10)
    expect(Object.values(SCORE_WEIGHTS).reduce((a, b) => a + b)).toBeCloseTo(1, 10)
  })

  it('Should put a flat topic at momentum 0.5 and a fading one below', () => {
    // 6 days of 100 a day and 100 in the last day: flat.
    expect(computeScore(agg({ recentSum: 100, baselineSum: 600 }), now).components.momentum).toBe(
      0.5,
    )
    const fading = computeScore(agg({ recentSum: 50, baselineSum: 600 }), now).components.momentum
    expect(fading).toBeCloseTo(0.5 + Math.log2(51 / 101) / 4, 4)
    expect(computeScore(agg({ recentSum: 0, baselineSum: 6000 }), now).components.momentum).toBe(0)
  })

  it('Should decay recency with the age of the newest signal', () => {
    expect(computeScore(agg({ lastObservedAt: hoursAgo(24) }), now).components.recency).toBeCloseTo(
      Math.exp(-1),
      4,
    )
    expect(computeScore(agg({ lastObservedAt: hoursAgo(48) }), now).components.recency).toBeCloseTo(
      Math.exp(-2),
      4,
    )
  })

  it('Should cap volume and diversity at 1 and keep the score within 0-100', () => {
    const huge = computeScore(agg({ recentSum: 1e9, baselineSum: 1e9, sources: 40 }), now)
    expect(huge.components.volume).toBe(1)
    expect(huge.components.diversity).toBe(1)
    expect(huge.score).toBeLessThanOrEqual(100)
    expect(huge.score).toBeGreaterThanOrEqual(0)
  })
})
