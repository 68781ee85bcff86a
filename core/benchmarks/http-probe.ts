/**
 * @module
 * Timed GETs for the score benchmark, one at a time on one keep-alive socket,
 * so each latency is a round trip and not a queueing artefact. node:http
 * rather than fetch: measured here, fetch added 0.3-0.7 ms of client work to
 * every round trip, which would count as the edge's.
 */
import http from 'node:http'
import https from 'node:https'
import type { TimedAnswer } from './pass-figures.ts'

/** A client for one origin. */
export interface HttpProbe {
  /**
   * GETs `url` and times it to the end of the body.
   * @throws {Error} on a non-200 answer or a request slower than the deadline:
   * a benchmark of errors measures nothing.
   */
  get: (url: string) => Promise<TimedAnswer>
  /** Closes the socket. */
  close: () => void
}

const header = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(',') : value

/** A probe for URLs on `base`'s protocol. @param timeoutMs deadline of one request */
export function createHttpProbe(base: string, timeoutMs = 10_000): HttpProbe {
  const client = new URL(base).protocol === 'https:' ? https : http
  const agent = new client.Agent({ keepAlive: true, maxSockets: 1 })
  const get = (url: string) =>
    new Promise<TimedAnswer>((resolve, reject) => {
      const started = performance.now()
      const request = client.get(url, { agent, timeout: timeoutMs }, (res) => {
        res.resume()
        res.on('error', reject)
        res.on('end', () => {
          const latencyMs = performance.now() - started
          if (res.statusCode !== 200) return reject(new Error(`${url} answered ${res.statusCode}`))
          const xCache = header(res.headers['x-cache'])
          const tier = header(res.headers['x-cache-tier'])
          resolve({ latencyMs, ...(xCache ? { xCache } : {}), ...(tier ? { tier } : {}) })
        })
      })
      request.on('timeout', () =>
        request.destroy(new Error(`${url} did not answer within ${timeoutMs} ms`)),
      )
      request.on('error', reject)
    })
  return { get, close: () => agent.destroy() }
}
