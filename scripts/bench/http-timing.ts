/**
 * @module
 * Sequential HTTP timing: one request at a time, so each latency is a round
 * trip and not a queueing artefact. Requests go through node:http on one
 * keep-alive socket rather than fetch: measured here, fetch added 0.3-0.7 ms
 * of client work to every round trip (1.60 against 0.86 ms for /healthz),
 * which would be counted as the server's time.
 */
import http from 'node:http'
import { quantile } from './stats.ts'

/** A GET's status and headers, the body read and dropped. */
interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

/** GETs `url` on the shared keep-alive socket. */
export function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

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
    const res = await get(url)
    latenciesMs.push(performance.now() - t0)
    if (res.status !== 200) throw new Error(`${label}: ${url} answered ${res.status}`)
    const tag = [res.headers['x-cache'], res.headers['x-cache-tier']].filter(Boolean).join('/')
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
