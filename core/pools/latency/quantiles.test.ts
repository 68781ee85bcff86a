import { describe, expect, it } from 'vitest'
import {
  histogramQuantile,
  sampleQuantile,
  summariseHistograms,
  summariseSamples,
} from './quantiles.ts'

describe('sampleQuantile', () => {
  it('Should interpolate between closest ranks', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    expect(sampleQuantile(sorted, 0.5)).toBe(5.5)
    expect(sampleQuantile(sorted, 0.95)).toBeCloseTo(9.55, 10)
    expect(sampleQuantile(sorted, 0)).toBe(1)
    expect(sampleQuantile(sorted, 1)).toBe(10)
    expect(sampleQuantile([], 0.5)).toBeNaN()
  })

  it('Should sort samples before summarising', () => {
    const [summary] = summariseSamples({
      'core /a': { service: 'core', route: '/a', ms: [30, 10, 20] },
    })
    expect(summary).toEqual({
      service: 'core',
      route: '/a',
      count: 3,
      p50Ms: 20,
      p95Ms: 29,
      p99Ms: 29.8,
      maxMs: 30,
    })
  })
})

describe('histogramQuantile', () => {
  // 10 observations: 4 under 0.1 s, 4 more under 0.5 s, 2 more under 1 s.
  const buckets = [
    { le: 0.1, count: 4 },
    { le: 0.5, count: 8 },
    { le: 1, count: 10 },
    { le: Number.POSITIVE_INFINITY, count: 10 },
  ]

  it('Should interpolate linearly within the bucket, as PromQL does', () => {
    // rank 5 falls in (0.1, 0.5] holding ranks 4..8: 0.1 + 0.4 * (5 - 4) / 4
    expect(histogramQuantile(buckets, 0.5)).toBeCloseTo(0.2, 10)
    // rank 9.5 falls in (0.5, 1] holding ranks 8..10: 0.5 + 0.5 * 1.5 / 2
    expect(histogramQuantile(buckets, 0.95)).toBeCloseTo(0.875, 10)
  })

  it('Should answer the last finite bound for ranks in +Inf, and NaN when empty', () => {
    expect(
      histogramQuantile(
        [
          { le: 0.1, count: 1 },
          { le: Number.POSITIVE_INFINITY, count: 3 },
        ],
        0.9,
      ),
    ).toBe(0.1)
    expect(histogramQuantile([{ le: Number.POSITIVE_INFINITY, count: 0 }], 0.5)).toBeNaN()
  })

  it('Should summarise in milliseconds with the highest occupied bound as max', () => {
    const [summary] = summariseHistograms([{ service: 'core', route: '/a', buckets }])
    expect(summary).toMatchObject({ count: 10, maxMs: 1000 })
    expect(summary!.p50Ms).toBeCloseTo(200, 8)
  })
})
