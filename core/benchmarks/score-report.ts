/**
 * @module
 * The score benchmark's report, as lines: the headline lines DESIGN.md fixes
 * (`Uncached: X.XXs for N runs`, `Cached: X.XXs for N runs`) that other
 * programs read, then speed-ups and p50/p95/p99 per pass.
 */
import type { ScoreMeasurement } from './measure-score.ts'
import type { PassFigures } from './pass-figures.ts'

/** A run to report: the engine's measurement, plus what a local run adds. */
export interface ScoreBenchmarkResult extends Omit<ScoreMeasurement, 'queries' | 'alreadyCached'> {
  /** The same keys from the in-process L1 (local runs: a second edge with the L1 on). */
  l1?: PassFigures
  /** The same keys past their soft TTL: served STALE while refreshed (local runs). */
  stale?: PassFigures
  /**
   * Concurrent clients on keys that never expire during the pass (`steady`,
   * the floor) and on keys whose soft TTL passes again and again (`expiring`).
   */
  expiring?: { clients: number; steady: PassFigures; expiring: PassFigures }
  /** wrk: cached /score against /healthz on the same server. */
  throughput?: { trivialRps: number; scoreRps: number; ratio: number }
}

const ms = (x: number) => `${x.toFixed(2)} ms`

/** The report of `result`, `runs` requests per pass. */
export function scoreReportLines(result: ScoreBenchmarkResult, runs: number): string[] {
  const lines = [
    `Uncached: ${result.uncached.totalS.toFixed(2)}s for ${runs} runs`,
    `Cached:   ${result.cached.totalS.toFixed(2)}s for ${runs} runs`,
  ]
  if (result.l1) lines.push(`L1:       ${result.l1.totalS.toFixed(2)}s for ${runs} runs`)
  lines.push(
    '',
    `speedup, Redis tier over uncached: ${result.speedup.toFixed(1)}x (goal >= 10x; the seed got 3.2x)`,
  )
  if (result.l1) {
    const l1Speedup = result.uncached.totalS / result.l1.totalS
    lines.push(`speedup, L1 over uncached:         ${l1Speedup.toFixed(1)}x`)
  }
  // What the server adds to a bare round trip: the part a cache can remove.
  const above = (pass: PassFigures) => pass.p50Ms - result.floor.p50Ms
  const [uncached, cached] = [above(result.uncached), above(result.cached)]
  lines.push(
    `above the HTTP round trip (p50 minus /healthz p50): uncached ${ms(uncached)}, Redis tier ${ms(cached)}: ${(uncached / cached).toFixed(1)}x`,
  )
  const e = result.expiring
  for (const pass of [
    result.floor,
    result.uncached,
    result.cached,
    result.l1,
    result.stale,
    e?.steady,
    e?.expiring,
  ]) {
    if (!pass) continue
    lines.push(
      `${pass.label.padEnd(16)} p50 ${ms(pass.p50Ms)}  p95 ${ms(pass.p95Ms)}  p99 ${ms(pass.p99Ms)}  answers ${JSON.stringify(pass.cache)}`,
    )
  }
  if (e) {
    const waited = Object.entries(e.expiring.cache)
      .filter(([tag]) => /^(MISS|BYPASS)\b/.test(tag))
      .reduce((sum, [, n]) => sum + n, 0)
    lines.push(
      `expiring under load (${e.clients} clients): p99 ${ms(e.expiring.p99Ms)} vs ${ms(e.steady.p99Ms)} with no key expiring (the floor): ${(e.expiring.p99Ms / e.steady.p99Ms).toFixed(2)}x; answers that waited for the database: ${waited} of ${e.expiring.latenciesMs.length}`,
    )
  }
  if (result.throughput) {
    const t = result.throughput
    lines.push(
      `throughput: cached /score ${t.scoreRps.toFixed(0)} req/s vs /healthz ${t.trivialRps.toFixed(0)} req/s = ${(t.ratio * 100).toFixed(0)}% (goal >= 90%)`,
    )
  }
  return lines
}
