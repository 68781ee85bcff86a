/**
 * @module
 * Sequential HTTP timing: one request at a time, so each latency is a round
 * trip and not a queueing artefact.
 */
import { quantile } from './stats.ts'

/** One timed pass over a list of URLs. */
export interface PassResult {
  label: string
  totalS: number
  latenciesMs: number[]
  /** Count of each X-Cache value (and X-Cache-Tier on hits) seen. */
  cache: Record<string, number>
  p50Ms: number
  p95Ms: number
  p99Ms: number
}

/** GETs each URL in turn; a non-200 answer stops the run (a benchmark of errors measures nothing). */
export async function timedPass(
  label: string,
  urls: readonly string[],
  onEach?: (done: number) => void,
): Promise<PassResult> {
  const latenciesMs: number[] = []
  const cache: Record<string, number> = {}
  const started = performance.now()
  for (const [i, url] of urls.entries()) {
    const t0 = performance.now()
    const res = await fetch(url)
    await res.arrayBuffer()
    latenciesMs.push(performance.now() - t0)
    if (res.status !== 200) throw new Error(`${label}: ${url} answered ${res.status}`)
    const tag = [res.headers.get('X-Cache'), res.headers.get('X-Cache-Tier')]
      .filter(Boolean)
      .join('/')
    cache[tag || 'none'] = (cache[tag || 'none'] ?? 0) + 1
    onEach?.(i + 1)
  }
  const totalS = (performance.now() - started) / 1000
  return {
    label,
    totalS,
    latenciesMs,
    cache,
    p50Ms: quantile(latenciesMs, 0.5),
    p95Ms: quantile(latenciesMs, 0.95),
    p99Ms: quantile(latenciesMs, 0.99),
  }
}
