/** The pure regression comparison: median baseline, MAD-based noise, verdicts, the table. */
import { describe, expect, test } from 'vitest'
import {
  compareFigure,
  compareRun,
  formatRegressionTable,
  SCORE_BENCHMARK,
} from '../../core/benchmarks/index.ts'

const steady = [100, 102, 98, 101, 99, 103, 97]

describe('compareFigure', () => {
  test('Should call a change within the runs own spread ok', () => {
    // MAD of steady is 2, so the spread is ~2.97 and 3 spreads ~8.9.
    const result = compareFigure(108, steady, 'lower')
    expect(result).toMatchObject({ median: 100, history: 7, verdict: 'ok' })
    expect(result.spread).toBeCloseTo(2 * 1.4826, 6)
    expect(result.changePct).toBeCloseTo(8, 6)
  })

  test('Should call a change beyond k spreads a regression, or an improvement the other way', () => {
    expect(compareFigure(112, steady, 'lower').verdict).toBe('regressed')
    expect(compareFigure(88, steady, 'lower').verdict).toBe('improved')
    // Higher is better: the same numbers mean the opposite.
    expect(compareFigure(112, steady, 'higher').verdict).toBe('improved')
    expect(compareFigure(88, steady, 'higher').verdict).toBe('regressed')
  })

  test('Should widen the threshold for noisy history', () => {
    const noisy = [100, 130, 75, 115, 90, 125, 80]
    expect(compareFigure(140, noisy, 'lower').verdict).toBe('ok')
    expect(compareFigure(140, steady, 'lower').verdict).toBe('regressed')
  })

  test('Should not flag a tiny change against a perfectly steady history (minChangePct floor)', () => {
    const flat = [50, 50, 50, 50, 50]
    expect(compareFigure(51, flat, 'lower').verdict).toBe('ok')
    expect(compareFigure(53, flat, 'lower').verdict).toBe('regressed')
    expect(compareFigure(51, flat, 'lower', { minChangePct: 1 }).verdict).toBe('regressed')
  })

  test('Should ignore an outlier in the window (median and MAD are robust)', () => {
    const withOutlier = [100, 101, 99, 400, 100, 102, 98]
    expect(compareFigure(100, withOutlier, 'lower')).toMatchObject({ median: 100, verdict: 'ok' })
    expect(compareFigure(115, withOutlier, 'lower').verdict).toBe('regressed')
  })

  test('Should use only the newest `window` runs', () => {
    const old = [100, 100, 100, 200, 200, 200, 200]
    expect(compareFigure(100, old, 'lower', { window: 3 }).median).toBe(100)
    expect(compareFigure(100, old, 'lower', { window: 7 }).median).toBe(200)
  })

  test('Should report insufficient history below minHistory, never a regression', () => {
    const result = compareFigure(1000, [100, 100], 'lower')
    expect(result).toMatchObject({ verdict: 'insufficient history', history: 2 })
    expect(compareFigure(1000, [], 'lower').verdict).toBe('insufficient history')
    expect(compareFigure(1000, [100, 100], 'lower', { minHistory: 2 }).verdict).toBe('regressed')
  })
})

describe('compareRun', () => {
  const run = (cached: number, l1: number | null) => ({
    uncached_total_s: 2.4,
    cached_total_s: cached,
    l1_total_s: l1,
    uncached_p95_ms: 30,
    cached_p95_ms: 1,
    speedup: 2.4 / cached,
  })

  test('Should compare every figure, skip ones the latest run lacks, and label them', () => {
    const history = [run(0.08, 0.02), run(0.081, null), run(0.079, 0.02), run(0.08, 0.021)]
    const result = compareRun(SCORE_BENCHMARK, run(0.12, null), history)
    expect(result.map((c) => c.figure)).toEqual([
      'uncached',
      'cached',
      'uncached_p95',
      'cached_p95',
      'speedup',
    ])
    const verdicts = Object.fromEntries(result.map((c) => [c.figure, c.verdict]))
    expect(verdicts).toMatchObject({ uncached: 'ok', cached: 'regressed', speedup: 'regressed' })
    expect(result[0]).toMatchObject({ benchmark: 'score', unit: 's' })
  })

  test('Should not count runs that lack a figure towards its history', () => {
    const history = [run(0.08, null), run(0.08, null), run(0.08, 0.02), run(0.08, 0.02)]
    const l1 = compareRun(SCORE_BENCHMARK, run(0.08, 0.02), history).find((c) => c.figure === 'l1')
    expect(l1).toMatchObject({ history: 2, verdict: 'insufficient history' })
  })
})

describe('formatRegressionTable', () => {
  test('Should print one aligned row per figure and a note per benchmark without runs', () => {
    const comparisons = compareRun(SCORE_BENCHMARK, { cached_total_s: 0.12 }, [
      { cached_total_s: 0.08 },
      { cached_total_s: 0.081 },
      { cached_total_s: 0.079 },
    ])
    const table = formatRegressionTable([
      { benchmark: 'score', status: 'compared', ranAt: new Date(), comparisons },
      { benchmark: 'mockup', status: 'no runs' },
    ])
    const lines = table.split('\n')
    expect(lines[0]).toMatch(/^benchmark\s+figure\s+latest\s+median\s+spread\s+change\s+verdict$/)
    expect(lines[1]).toMatch(
      /^score\s+cached\s+0\.120 s\s+0\.0800 s\s+0\.00148 s\s+\+50\.0%\s+REGRESSED$/,
    )
    expect(lines[2]).toBe('mockup: no runs')
  })
})
