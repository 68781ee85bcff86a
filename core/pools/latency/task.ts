/**
 * @module
 * The latency pool's worker: parsing request and job logs or metrics text
 * and computing percentiles, off the event loop. Runs in a Piscina thread.
 * Jobs are reported as routes named {@link jobRoute}, so one ranking shows
 * both.
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
  /** pino JSON lines; the profiling's `request` and `job` lines are read. */
  | { kind: 'log'; text: string }
  /** Prometheus text holding `http_request_duration_seconds` and `job_duration_seconds`. */
  | { kind: 'metrics'; text: string }

/** The slowest routes first (by p95). */
export type LatencyReport = RouteLatency[]

/** The route a job is reported under, beside the HTTP routes. */
export const jobRoute = (queue: string, name: string): string => `job:${queue}/${name}`

/** Service of job series read from metrics: `job_duration_seconds` carries no service label. */
export const JOB_SERVICE = 'jobs'

interface LogEntry {
  msg?: unknown
  service?: unknown
  route?: unknown
  queue?: unknown
  name?: unknown
  durationMs?: unknown
}

/** A request line's route pattern, a job line's {@link jobRoute}, else undefined. */
function logRoute(entry: LogEntry): string | undefined {
  if (entry.msg === 'request' && typeof entry.route === 'string') return entry.route
  if (entry.msg === 'job' && typeof entry.queue === 'string' && typeof entry.name === 'string') {
    return jobRoute(entry.queue, entry.name)
  }
  return undefined
}

function fromLog(text: string): RouteLatency[] {
  const samples: Record<string, { service: string; route: string; ms: number[] }> = {}
  for (const line of text.split('\n')) {
    // Cheap test first: most lines of a service log are neither.
    if (!line.includes('"msg":"request"') && !line.includes('"msg":"job"')) continue
    let entry: LogEntry
    try {
      entry = JSON.parse(line)
    } catch {
      continue // a torn or foreign line is not a sample
    }
    const route = logRoute(entry)
    if (route === undefined || typeof entry.durationMs !== 'number') continue
    const service = typeof entry.service === 'string' ? entry.service : 'unknown'
    const key = `${service} ${route}`
    samples[key] ??= { service, route, ms: [] }
    samples[key].ms.push(entry.durationMs)
  }
  return summariseSamples(samples)
}

/** Each histogram the report reads, and the service and route of one of its series. */
const HISTOGRAMS: {
  metric: string
  place: (labels: Record<string, string>) => { service: string; route: string }
}[] = [
  {
    metric: 'http_request_duration_seconds',
    place: ({ service = 'unknown', route = 'unknown' }) => ({ service, route }),
  },
  {
    metric: 'job_duration_seconds',
    place: ({ service = JOB_SERVICE, queue = 'unknown', name = 'unknown' }) => ({
      service,
      route: jobRoute(queue, name),
    }),
  },
]

function fromMetrics(text: string): RouteLatency[] {
  const families = parsePrometheusText(text)
  const series = new Map<string, HistogramSeries>()
  for (const { metric, place } of HISTOGRAMS) {
    for (const sample of families.get(metric)?.samples ?? []) {
      if (!sample.name.endsWith('_bucket')) continue
      // Methods and statuses (completed, failed) of one route are added together.
      const { service, route } = place(sample.labels)
      const key = `${service} ${route}`
      const entry = series.get(key) ?? { service, route, buckets: [] }
      const le = sample.labels.le
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le)
      const bucket = entry.buckets.find((b) => b.le === bound)
      if (bucket) bucket.count += sample.value
      else entry.buckets.push({ le: bound, count: sample.value })
      series.set(key, entry)
    }
  }
  return summariseHistograms([...series.values()])
}

/** Piscina's entry point. */
export default function latencyTask(task: LatencyTask): LatencyReport {
  const report = task.kind === 'log' ? fromLog(task.text) : fromMetrics(task.text)
  return report.filter((r) => r.count > 0).sort((a, b) => b.p95Ms - a.p95Ms || b.count - a.count)
}
