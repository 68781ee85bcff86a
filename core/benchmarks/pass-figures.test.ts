import { describe, expect, it } from 'vitest'
import { cacheClass, passFigures } from './pass-figures.ts'

describe('cacheClass', () => {
  it.each([
    ['HIT', 'cached'],
    ['STALE', 'cached'],
    ['MISS', 'uncached'],
    ['BYPASS', 'uncached'],
    ['Hit from cloudfront', undefined],
    [undefined, undefined],
  ])('Should read X-Cache %s as %s', (xCache, expected) => {
    expect(cacheClass(xCache)).toBe(expected)
  })
})

describe('passFigures', () => {
  it('Should total the latencies and interpolate p50/p95/p99 between neighbours', () => {
    // 1..100 ms shuffled: the quantile at q sits at 1 + 99q.
    const latencies = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1)
    const figures = passFigures(
      'uncached',
      latencies.map((latencyMs) => ({ latencyMs, xCache: 'MISS' })),
    )
    expect(figures).toMatchObject({
      label: 'uncached',
      cache: { MISS: 100 },
      latenciesMs: latencies,
    })
    expect(figures.totalS).toBeCloseTo(5.05, 12)
    expect(figures.p50Ms).toBeCloseTo(50.5, 12)
    expect(figures.p95Ms).toBeCloseTo(95.05, 12)
    expect(figures.p99Ms).toBeCloseTo(99.01, 12)
  })

  it('Should count each X-Cache with its tier, and answers without one', () => {
    const figures = passFigures('mixed', [
      { latencyMs: 1, xCache: 'HIT', tier: 'l1' },
      { latencyMs: 1, xCache: 'HIT', tier: 'redis' },
      { latencyMs: 1, xCache: 'HIT', tier: 'redis' },
      { latencyMs: 1 },
    ])
    expect(figures.cache).toEqual({ 'HIT/l1': 1, 'HIT/redis': 2, none: 1 })
  })

  it('Should give NaN quantiles and a zero total for an empty pass', () => {
    expect(passFigures('empty', [])).toMatchObject({ totalS: 0, cache: {} })
    expect(passFigures('empty', []).p50Ms).toBeNaN()
  })
})
