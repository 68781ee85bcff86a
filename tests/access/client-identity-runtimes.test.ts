/**
 * The client's address on every runtime the edge runs on, through the app
 * each one serves (`buildEdgeApp`, limit 2 a minute, counted per address):
 * Node's socket and Deno's `remoteAddr` (requests sent from two loopback
 * addresses), and Cloudflare's `CF-Connecting-IP` on workerd. From the
 * trusted proxy (`TRUST_PROXY`) `X-Forwarded-For` names the client; from any
 * other hop the same header is a spoof and changes nothing.
 */
import { request } from 'node:http'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen } from '../../core/platform/http/listen.ts'
import { buildEdgeApp } from '../../edge/entry/build.ts'
import { bundleWorkerd } from '../../scripts/edge/bundle-workerd.ts'
import { denoAvailable, startDeno } from '../../scripts/edge/deno.ts'
import { COMPATIBILITY_DATE } from '../../scripts/edge/workerd.ts'

/** GET /nowhere from `peer` with `headers`, answering the limiter's `RateLimit-Remaining`. */
type Send = (peer: string, headers: Record<string, string>) => Promise<string | null>

const env = (trustedProxy: string) => ({
  EDGE_CACHE: 'memory',
  // Never reached: the limiter answers before any route, /nowhere is a 404.
  NEON_DATABASE_URL: 'postgres://u@db.invalid/none',
  CORE_URL: 'http://core.invalid',
  EDGE_SERVICE_KEY: 'client-identity-service-key',
  RATE_LIMIT_PER_MINUTE: '2',
  TRUST_PROXY: trustedProxy,
  LOG_LEVEL: 'silent',
})

/** {@link Send} over HTTP from a loopback address (`localAddress`) as the peer. */
function fromLoopback(base: string): Send {
  const { hostname, port } = new URL(base)
  return (peer, headers) =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: hostname, port, path: '/nowhere', localAddress: peer, headers, agent: false },
        (res) => {
          res.resume()
          res.on('end', () => resolve((res.headers['ratelimit-remaining'] as string) ?? null))
        },
      )
      req.on('error', reject)
      req.end()
    })
}

interface Runtime {
  send: Send
  /** The untrusted client's peer and the trusted proxy's. */
  client: string
  proxy: string
  stop: () => Promise<void>
}

const runtimes: Partial<Record<'node' | 'deno' | 'workerd', Runtime>> = {}

beforeAll(async () => {
  // Node: the app on a real socket, as core/edge-host serves it.
  const node = await listen(buildEdgeApp(env('127.0.0.2'), { runtime: 'node' }), 0, '127.0.0.1')
  runtimes.node = {
    send: fromLoopback(`http://127.0.0.1:${node.port}`),
    client: '127.0.0.3',
    proxy: '127.0.0.2',
    stop: node.close,
  }
  if (denoAvailable()) {
    const deno = await startDeno({ env: env('127.0.0.2'), startTimeoutMs: 120_000 })
    runtimes.deno = {
      send: fromLoopback(deno.url),
      client: '127.0.0.3',
      proxy: '127.0.0.2',
      stop: deno.stop,
    }
  }
  // workerd: Cloudflare's edge sets CF-Connecting-IP; Miniflare passes the one given.
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorkerd(),
    bindings: env('192.0.2.1'),
    compatibilityDate: COMPATIBILITY_DATE,
  })
  await mf.ready
  runtimes.workerd = {
    send: async (peer, headers) => {
      const res = await mf.dispatchFetch('http://edge.test/nowhere', {
        headers: { ...headers, 'CF-Connecting-IP': peer },
      })
      await res.arrayBuffer()
      return res.headers.get('RateLimit-Remaining')
    },
    client: '198.51.100.3',
    proxy: '192.0.2.1',
    stop: () => mf.dispose(),
  }
}, 180_000)

afterAll(async () => {
  await Promise.allSettled(Object.values(runtimes).map((r) => r.stop()))
})

const remaining = (runtime: Runtime, peer: string, headers: Record<string, string> = {}) =>
  runtime.send(peer, headers)

describe.each(['node', 'deno', 'workerd'] as const)('The client address on %s', (name) => {
  it('Should count each peer apart and ignore X-Forwarded-For from an untrusted one', async (ctx) => {
    const runtime = runtimes[name]
    if (!runtime) return ctx.skip(`${name} is not installed here`)
    expect(await remaining(runtime, runtime.client)).toBe('1')
    // A spoof from the client: still the client's bucket, now empty.
    expect(await remaining(runtime, runtime.client, { 'X-Forwarded-For': '203.0.113.50' })).toBe(
      '0',
    )
  })

  it('Should count each client behind the trusted proxy apart', async (ctx) => {
    const runtime = runtimes[name]
    if (!runtime) return ctx.skip(`${name} is not installed here`)
    const behind = (client: string) => ({ 'X-Forwarded-For': `203.0.113.99, ${client}` })
    expect(await remaining(runtime, runtime.proxy, behind('203.0.113.1'))).toBe('1')
    expect(await remaining(runtime, runtime.proxy, behind('203.0.113.2'))).toBe('1')
    expect(await remaining(runtime, runtime.proxy, behind('203.0.113.1'))).toBe('0')
  })
})
