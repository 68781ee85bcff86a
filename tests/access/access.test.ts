/**
 * Access control over every route there is: the core app's routes and the
 * tRPC procedures are enumerated (not listed by hand), and each mutating or
 * private one must refuse a request with no key or a wrong one. Also: the
 * public edge has no /metrics or /admin, image routes take no path from the
 * request, no parameter makes a service fetch a URL, core sends security
 * headers, and no secret reaches a log line or a response body.
 */
import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppRouter } from '../../edge/gateway/index.ts'
import { memoryLogger } from '../support/logs.ts'
import { AUTH, type FullStack, SECRET, startFullStack } from './stack.ts'

const logger = memoryLogger()
let stack: FullStack
const WRONG = 'wrong-secret-but-long-enough-42'

/** Routes anyone may call: probes, the schema version, the read-only analytics API, and published images. */
const PUBLIC_CORE = [
  /^\/healthz$/,
  /^\/v1\/schema-version$/,
  /^\/analytics\//,
  /^\/mockups\/:id\/(:file\{)?image/,
]
/** Procedures anyone may call (the gateway's public queries). */
const PUBLIC_PROCEDURES = new Set([
  'score.get',
  'analytics.designSummary',
  'analytics.topDesigns',
  'analytics.timeseries',
  'benchmarks.history',
])

/** A concrete path for a route pattern: parameters and wildcards filled in. */
function concrete(path: string): string {
  return path
    .replace(/:format\{[^}]*\}/g, 'png')
    .replace(/:[A-Za-z]+(\{[^}]*\})?/g, 'a1b2c3d4-0000-4000-8000-000000000000')
    .replace(/\*/g, 'x')
}

/** Core's routes as `[method, pattern]`, global middleware left out. */
function coreRoutes(): [string, string][] {
  const seen = new Set<string>()
  const out: [string, string][] = []
  for (const route of stack.core.routes) {
    if (route.path === '*' || route.path === '/*') continue
    for (const method of route.method === 'ALL' ? ['GET', 'POST'] : [route.method]) {
      const id = `${method} ${route.path}`
      if (seen.has(id)) continue
      seen.add(id)
      out.push([method, route.path])
    }
  }
  return out
}

const isPrivate = (method: string, path: string) =>
  method !== 'GET' || !PUBLIC_CORE.some((pattern) => pattern.test(path))

beforeAll(async () => {
  stack = await startFullStack('access', { logger })
})

afterAll(async () => {
  await stack?.close()
})

describe('API keys on every mutating and private route', () => {
  it('Should refuse each private core route without a key and with a wrong key', async () => {
    const routes = coreRoutes().filter(([method, path]) => isPrivate(method, path))
    const names = routes.map(([m, p]) => `${m} ${p}`)
    // The enumeration found the routes it must (a rename would otherwise go unchecked).
    for (const expected of [
      'POST /signals',
      'GET /signals/jobs/:id',
      'POST /mockups',
      'GET /mockups',
      'GET /mockups/:id',
      'POST /experiments/:id/metrics',
      'GET /experiments/:id/summary',
      'GET /v1/whoami',
    ]) {
      expect(names).toContain(expected)
    }
    expect(names.some((n) => n.includes('/admin'))).toBe(true)
    for (const [method, path] of routes) {
      for (const headers of [{}, { Authorization: `Bearer ${WRONG}` }] as Record<
        string,
        string
      >[]) {
        const res = await stack.core.request(concrete(path), {
          method,
          headers: { 'Content-Type': 'application/json', ...headers },
          body: method === 'GET' ? undefined : '{}',
        })
        expect(res.status, `${method} ${path}`).toBe(401)
        expect(res.headers.get('WWW-Authenticate')).toBeTruthy()
      }
    }
  })

  it('Should refuse each private tRPC procedure and every mutation without a key', async () => {
    const router = createAppRouter({
      score: {} as never,
      core: {} as never,
      db: {} as never,
    })
    const procedures = Object.entries(router._def.procedures as Record<string, unknown>).map(
      ([path, procedure]) => ({
        path,
        type: (procedure as { _def: { type: string } })._def.type,
      }),
    )
    expect(procedures.map((p) => p.path)).toEqual(
      expect.arrayContaining(['mockups.create', 'signals.ingest', 'mockups.get', 'mockups.list']),
    )
    for (const { path, type } of procedures) {
      if (type !== 'mutation' && PUBLIC_PROCEDURES.has(path)) continue
      const res =
        type === 'mutation'
          ? await stack.edge.request(`/trpc/${path}`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: '{}',
            })
          : await stack.edge.request(`/trpc/${path}?input=${encodeURIComponent('{}')}`)
      expect(res.status, path).toBe(401)
      const body = (await res.json()) as { error: { data?: { code?: string } } }
      expect(body.error.data?.code, path).toBe('UNAUTHORIZED')
    }
  })

  it('Should let a right key through to the handler', async () => {
    const res = await stack.core.request('/v1/whoami', { headers: { Authorization: AUTH } })
    expect(await res.json()).toEqual({ key: 'tester' })
  })
})

describe('What the public edge never serves', () => {
  it('Should answer 404 JSON for /metrics and /admin, whatever the method or key', async () => {
    for (const path of ['/metrics', '/admin', '/admin/queues', '/admin/queues/api/queues']) {
      for (const method of ['GET', 'POST']) {
        const res = await stack.edge.request(path, { method, headers: { Authorization: AUTH } })
        expect(res.status, `${method} ${path}`).toBe(404)
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
      }
    }
  })
})

describe('File paths are never user input', () => {
  it('Should answer 400/404 JSON to traversal attempts on the image routes', async () => {
    const attempts = [
      '../../../../etc/passwd',
      '..%2F..%2F..%2Fetc%2Fpasswd',
      '%2e%2e%2f%2e%2e%2fpackage.json',
      '..\\..\\package.json',
      '%252e%252e%252fetc',
      '....//....//etc',
      `${stack?.mockupId ?? 'x'}%00.png`,
      '/etc/passwd',
      '%c0%ae%c0%ae/etc',
    ]
    for (const attempt of attempts) {
      for (const format of ['png', 'webp']) {
        const res = await stack.core.request(`/mockups/${attempt}/image.${format}`)
        expect([400, 404], attempt).toContain(res.status)
        const text = await res.text()
        expect(text).not.toMatch(/root:|"name": "mockup-platform"/)
        expect(JSON.parse(text)).toHaveProperty('error.code')
      }
    }
    // The row exists but has no image: the key comes from the row, not the URL.
    const res = await stack.core.request(`/mockups/${stack.mockupId}/image.png`)
    expect(res.status).toBe(404)
  })
})

describe('No request makes a service fetch a URL', () => {
  it('Should never reach a URL given in any parameter, body field or header', async () => {
    let hits = 0
    const sentinel = createServer((_req, res) => {
      hits++
      res.end('{}')
    })
    await new Promise<void>((resolve) => sentinel.listen(0, '127.0.0.1', resolve))
    const target = `http://127.0.0.1:${(sentinel.address() as { port: number }).port}/ssrf`
    try {
      const names = ['url', 'uri', 'href', 'src', 'source', 'target', 'callback', 'webhook']
      const more = ['redirect', 'next', 'image', 'metricsUrl', 'coreUrl', 'topic', 'id']
      const query = [...names, ...more].map((n) => `${n}=${encodeURIComponent(target)}`).join('&')
      const body = JSON.stringify(Object.fromEntries([...names, ...more].map((n) => [n, target])))
      const headers = {
        Authorization: AUTH,
        'Content-Type': 'application/json',
        'X-Forwarded-Host': target,
        'X-Original-URL': target,
        Referer: target,
        Origin: target,
        Location: target,
      }
      for (const [method, path] of coreRoutes()) {
        await stack.core.request(`${concrete(path)}?${query}`, {
          method,
          headers,
          body: method === 'GET' ? undefined : body,
        })
      }
      const router = createAppRouter({ score: {} as never, core: {} as never, db: {} as never })
      for (const path of Object.keys(router._def.procedures as object)) {
        const input = encodeURIComponent(body)
        await stack.edge.request(`/trpc/${path}?input=${input}&${query}`, { headers })
        await stack.edge.request(`/trpc/${path}?${query}`, { method: 'POST', headers, body })
      }
      await stack.edge.request(`/score?${query}`, { headers })
      expect(hits).toBe(0)
    } finally {
      await new Promise<void>((resolve) => sentinel.close(() => resolve()))
    }
  })
})

describe('Security headers', () => {
  it('Should send secure headers from core as from the edge', async () => {
    for (const app of [stack.core, stack.edge]) {
      const res = await app.request('/healthz')
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(res.headers.get('X-Frame-Options')).toBe('SAMEORIGIN')
      expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=/)
    }
  })
})

/** Log lines as text, errors with their message and stack (JSON.stringify drops them). */
function logText(): string {
  return JSON.stringify(logger.lines, (_key, value: unknown) =>
    value instanceof Error
      ? { ...value, name: value.name, message: value.message, stack: value.stack }
      : value,
  )
}

describe('Secrets never in logs or errors', () => {
  it('Should keep the right and the wrong secret out of every log line and response body', async () => {
    const bodies: string[] = []
    const requests: [string, string, string | undefined][] = [
      ['core', '/v1/whoami', undefined],
      ['core', '/signals', '{"signals":[{"topic":1}]}'],
      ['core', '/signals', 'not json'],
      ['core', '/mockups', '{"prompt":""}'],
      ['core', '/experiments/x/metrics', '[]'],
      ['core', '/nowhere', undefined],
      ['edge', '/trpc/signals.ingest', '{"signals":[]}'],
      ['edge', '/trpc/mockups.list?input=%7B%7D', undefined],
      ['edge', '/trpc/mockups.get?input=%7B%22id%22%3A1%7D', undefined],
      ['edge', '/score?topic=', undefined],
    ]
    for (const secret of [SECRET, WRONG]) {
      for (const scheme of ['Bearer', 'Basic']) {
        const authorization =
          scheme === 'Bearer' ? `Bearer ${secret}` : `Basic ${btoa(`user:${secret}`)}`
        for (const [app, path, body] of requests) {
          const res = await (app === 'core' ? stack.core : stack.edge).request(path, {
            method: body === undefined ? 'GET' : 'POST',
            headers: { Authorization: authorization, 'Content-Type': 'application/json' },
            body,
          })
          bodies.push(await res.text())
        }
      }
    }
    // The requests did reach code that logs (profiling lines at least).
    expect(logger.lines.length).toBeGreaterThan(requests.length)
    const everything = `${logText()}\n${bodies.join('\n')}`
    for (const secret of [SECRET, WRONG, btoa(`user:${SECRET}`), btoa(`user:${WRONG}`)]) {
      expect(everything).not.toContain(secret)
    }
    expect(everything).toContain('tester')
  })
})
