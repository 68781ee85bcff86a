/**
 * @module
 * Latency statistics, pure: percentiles of raw samples (from request logs)
 * and estimates from Prometheus histogram buckets (as PromQL's
 * `histogram_quantile` does: linear within the bucket).
 */

/** A route's latency summary in milliseconds. */
export interface RouteLatency {
  service: string
  route: string
  count: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  /** Largest sample; from histograms, the upper bound of the highest non-empty bucket. */
  maxMs: number
}

/** The q-quantile of sorted values (linear interpolation between closest ranks). */
export function sampleQuantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

/** Summaries of raw samples keyed by `service route`. */
export function summariseSamples(
  samples: Record<string, { service: string; route: string; ms: number[] }>,
): RouteLatency[] {
  return Object.values(samples).map(({ service, route, ms }) => {
    const sorted = Float64Array.from(ms).sort()
    const values = Array.from(sorted)
    return {
      service,
      route,
      count: values.length,
      p50Ms: sampleQuantile(values, 0.5),
      p95Ms: sampleQuantile(values, 0.95),
      p99Ms: sampleQuantile(values, 0.99),
      maxMs: values.at(-1) ?? Number.NaN,
    }
  })
}

/** Cumulative buckets of one histogram series: upper bounds (seconds) and counts. */
export interface HistogramSeries {
  service: string
  route: string
  buckets: { le: number; count: number }[]
}

/** `histogram_quantile(q)` of one series, in seconds; NaN without observations. */
export function histogramQuantile(
  buckets: readonly { le: number; count: number }[],
  q: number,
): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le)
  const total = sorted.at(-1)?.count ?? 0
  if (total === 0) return Number.NaN
  const rank = q * total
  let prevLe = 0
  let prevCount = 0
  for (const { le, count } of sorted) {
    if (count >= rank) {
      // Beyond the last finite bound Prometheus answers that bound.
      if (!Number.isFinite(le)) return prevLe
      return (
        prevLe +
        ((le - prevLe) * (rank - prevCount)) / Math.max(count - prevCount, Number.MIN_VALUE)
      )
    }
    prevLe = le
    prevCount = count
  }
  return prevLe
}

/** Summaries of histogram series, in milliseconds. */
export function summariseHistograms(series: readonly HistogramSeries[]): RouteLatency[] {
  return series.map(({ service, route, buckets }) => {
    const sorted = [...buckets].sort((a, b) => a.le - b.le)
    const count = sorted.at(-1)?.count ?? 0
    const highest = sorted.find((b) => b.count === count)
    return {
      service,
      route,
      count,
      p50Ms: histogramQuantile(sorted, 0.5) * 1000,
      p95Ms: histogramQuantile(sorted, 0.95) * 1000,
      p99Ms: histogramQuantile(sorted, 0.99) * 1000,
      maxMs: (highest && Number.isFinite(highest.le) ? highest.le : Number.NaN) * 1000,
    }
  })
}
