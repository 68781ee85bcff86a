/**
 * @module
 * The latency pool's worker: parsing request logs or metrics text and
 * computing percentiles, off the event loop. Runs in a Piscina thread.
 */
import { parsePrometheusText } from '../../platform/metrics/exposition.ts'
import {
  type HistogramSeries,
  type RouteLatency,
  summariseHistograms,
  summariseSamples,
} from './quantiles.ts'

/** What the pool is asked to do. */
export type LatencyTask =
  /** pino JSON lines; the profiling middleware's `request` lines are read. */
  | { kind: 'log'; text: string }
  /** Prometheus text holding `http_request_duration_seconds`. */
  | { kind: 'metrics'; text: string }

/** The slowest routes first (by p95). */
export type LatencyReport = RouteLatency[]

function fromLog(text: string): RouteLatency[] {
  const samples: Record<string, { service: string; route: string; ms: number[] }> = {}
  for (const line of text.split('\n')) {
    if (!line.includes('"msg":"request"')) continue
    let entry: { service?: unknown; route?: unknown; durationMs?: unknown }
    try {
      entry = JSON.parse(line)
    } catch {
      continue // a torn or foreign line is not a sample
    }
    if (typeof entry.route !== 'string' || typeof entry.durationMs !== 'number') continue
    const service = typeof entry.service === 'string' ? entry.service : 'unknown'
    const key = `${service} ${entry.route}`
    samples[key] ??= { service, route: entry.route, ms: [] }
    samples[key].ms.push(entry.durationMs)
  }
  return summariseSamples(samples)
}

function fromMetrics(text: string): RouteLatency[] {
  const family = parsePrometheusText(text).get('http_request_duration_seconds')
  const series = new Map<string, HistogramSeries>()
  for (const sample of family?.samples ?? []) {
    if (!sample.name.endsWith('_bucket')) continue
    // Methods and statuses of one route are added together.
    const { le, service = 'unknown', route = 'unknown' } = sample.labels
    const key = `${service} ${route}`
    const entry = series.get(key) ?? { service, route, buckets: [] }
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le)
    const bucket = entry.buckets.find((b) => b.le === bound)
    if (bucket) bucket.count += sample.value
    else entry.buckets.push({ le: bound, count: sample.value })
    series.set(key, entry)
  }
  return summariseHistograms([...series.values()])
}

/** Piscina's entry point. */
export default function latencyTask(task: LatencyTask): LatencyReport {
  const report = task.kind === 'log' ? fromLog(task.text) : fromMetrics(task.text)
  return report.filter((r) => r.count > 0).sort((a, b) => b.p95Ms - a.p95Ms || b.count - a.count)
}
