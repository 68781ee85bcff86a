/**
 * @module
 * `http_request_duration_seconds` for the request hot path. prom-client's
 * Histogram validates and hashes the label object on every `observe`, even on
 * a child from `labels()`; measured on a trivial route that was 9% of a
 * request. This one keeps one counter array per label set, found through one
 * map per label (the label values are a few strings the process already
 * holds, with their hashes cached, so no key string is built per request),
 * and hands prom-client's registry the same `get()` shape as its own
 * Histogram, so the exposition and the cluster aggregation are unchanged.
 */
import type { Metric, Registry } from 'prom-client'
import type { RequestLabels } from '../../../edge/profiling/index.ts'

/** One label set's counts: `counts[i]` observations in bucket i (not cumulative), then +Inf. */
interface Series {
  labels: RequestLabels
  counts: Float64Array
  sum: number
  count: number
}

/** A sample as prom-client's registry reads it. */
interface Sample {
  metricName: string
  labels: Record<string, string | number>
  value: number
}

/** Options of {@link RequestHistogram}. */
export interface RequestHistogramOptions {
  name: string
  help: string
  /** Upper bounds in seconds, ascending. */
  buckets: readonly number[]
  registers: readonly Registry[]
}

/** A histogram over {@link RequestLabels}, exposed exactly as prom-client's Histogram. */
export class RequestHistogram {
  readonly name: string
  readonly help: string
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  readonly #buckets: readonly number[]
  /** service → method → route → status → series. */
  readonly #index: Index<Index<Index<Index<Series>>>> = new Map()
  /** Every series in the order first observed, as prom-client exposes them. */
  readonly #series: Series[] = []

  constructor(options: RequestHistogramOptions) {
    this.name = options.name
    this.help = options.help
    this.#buckets = options.buckets
    for (const registry of options.registers) {
      // Our get() has the shape of prom-client's Histogram; the type union does not list it.
      registry.registerMetric(this as unknown as Metric)
    }
  }

  /** Counts one observation, in seconds. */
  observe(labels: RequestLabels, seconds: number): void {
    const series =
      this.#index.get(labels.service)?.get(labels.method)?.get(labels.route)?.get(labels.status) ??
      this.#add(labels)
    let bucket = 0
    while (bucket < this.#buckets.length && seconds > (this.#buckets[bucket] as number)) bucket++
    ;(series.counts[bucket] as number)++
    series.sum += seconds
    series.count++
  }

  #add(labels: RequestLabels): Series {
    const series: Series = {
      labels: { ...labels },
      counts: new Float64Array(this.#buckets.length + 1),
      sum: 0,
      count: 0,
    }
    const byMethod = child(this.#index, labels.service)
    const byRoute = child(byMethod, labels.method)
    child(byRoute, labels.route).set(labels.status, series)
    this.#series.push(series)
    return series
  }

  /** The samples as prom-client's Histogram gives them: cumulative buckets (`le` first), +Inf, sum, count. */
  async get() {
    const values: Sample[] = []
    for (const { labels, counts, sum, count } of this.#series) {
      let cumulative = 0
      this.#buckets.forEach((le, i) => {
        cumulative += counts[i] as number
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { le, ...labels },
          value: cumulative,
        })
      })
      values.push(
        { metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...labels }, value: count },
        { metricName: `${this.name}_sum`, labels: { ...labels }, value: sum },
        { metricName: `${this.name}_count`, labels: { ...labels }, value: count },
      )
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    }
  }

  /** Forgets every series (prom-client's `registry.resetMetrics()` calls this). */
  reset(): void {
    this.#index.clear()
    this.#series.length = 0
  }
}

/** One level of the series index, keyed by a label's value. */
type Index<T> = Map<string, T>

/** The map under `key` in `index`, created when missing. */
function child<T>(index: Index<Index<T>>, key: string): Index<T> {
  let found = index.get(key)
  if (!found) {
    found = new Map()
    index.set(key, found)
  }
  return found
}
