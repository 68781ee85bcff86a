import { describe, expect, it } from 'vitest'
import { passFigures } from './pass-figures.ts'
import { type ScoreBenchmarkResult, scoreReportLines } from './score-report.ts'

const pass = (label: string, latencyMs: number, xCache?: string) =>
  passFigures(
    label,
    Array.from({ length: 4 }, () => ({ latencyMs, ...(xCache ? { xCache } : {}) })),
  )

const RESULT: ScoreBenchmarkResult = {
  target: 'http://edge:8787',
  floor: pass('floor (/healthz)', 1),
  uncached: pass('uncached', 6, 'MISS'),
  cached: pass('cached (redis)', 1.5, 'HIT'),
  speedup: 4,
}

describe('scoreReportLines', () => {
  it('Should print the headline lines other programs read, then the details', () => {
    expect(scoreReportLines(RESULT, 4)).toEqual([
      'Uncached: 0.02s for 4 runs',
      'Cached:   0.01s for 4 runs',
      '',
      'speedup, Redis tier over uncached: 4.0x (goal >= 10x; the seed got 3.2x)',
      'above the HTTP round trip (p50 minus /healthz p50): uncached 5.00 ms, Redis tier 0.50 ms: 10.0x',
      'floor (/healthz) p50 1.00 ms  p95 1.00 ms  p99 1.00 ms  answers {"none":4}',
      'uncached         p50 6.00 ms  p95 6.00 ms  p99 6.00 ms  answers {"MISS":4}',
      'cached (redis)   p50 1.50 ms  p95 1.50 ms  p99 1.50 ms  answers {"HIT":4}',
    ])
  })

  it('Should add the L1 lines and the throughput when measured', () => {
    const lines = scoreReportLines(
      {
        ...RESULT,
        l1: pass('cached (l1)', 1.2, 'HIT'),
        throughput: { trivialRps: 1000, scoreRps: 760, ratio: 0.76 },
      },
      4,
    )
    expect(lines[2]).toBe('L1:       0.00s for 4 runs')
    expect(lines).toContain('speedup, L1 over uncached:         5.0x')
    expect(lines.at(-1)).toBe(
      'throughput: cached /score 760 req/s vs /healthz 1000 req/s = 76% (goal >= 90%)',
    )
  })

  it('Should add the stale pass and the expiring pass against its floor', () => {
    const lines = scoreReportLines(
      {
        ...RESULT,
        stale: pass('stale (redis)', 1.6, 'STALE'),
        expiring: {
          clients: 16,
          steady: pass('steady (redis)', 2, 'HIT'),
          expiring: passFigures('expiring (redis)', [
            { latencyMs: 2, xCache: 'HIT', tier: 'redis' },
            { latencyMs: 3, xCache: 'STALE', tier: 'redis' },
            { latencyMs: 3, xCache: 'MISS' },
          ]),
        },
      },
      4,
    )
    expect(lines.slice(0, 2)).toEqual(['Uncached: 0.02s for 4 runs', 'Cached:   0.01s for 4 runs'])
    expect(lines).toContain(
      'stale (redis)    p50 1.60 ms  p95 1.60 ms  p99 1.60 ms  answers {"STALE":4}',
    )
    expect(lines.at(-1)).toBe(
      'expiring under load (16 clients): p99 3.00 ms vs 2.00 ms with no key expiring (the floor): 1.50x; answers that waited for the database: 1 of 3',
    )
  })
})
