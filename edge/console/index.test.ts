/**
 * The console as the edge app on workerd/Deno serves it (`buildEdgeApp`): the
 * page names the hashed assets and is never cached stale, the assets are
 * immutable, unknown names are 404, and no secret ever lands in the HTML.
 */
import { describe, expect, it } from 'vitest'
import { buildEdgeApp } from '../entry/build.ts'
import { CONSOLE_ASSETS, CONSOLE_PAGE } from './assets.generated.ts'
import { ASSET_CACHE_CONTROL, CONSOLE_CSP } from './index.ts'

const SECRET = 'console-unit-secret-0123456789'
// The database is never reached by these requests.
const app = buildEdgeApp(
  {
    EDGE_CACHE: 'memory',
    NEON_DATABASE_URL: 'postgres://u@db.invalid/none',
    CORE_URL: 'http://core.invalid',
    EDGE_SERVICE_KEY: 'edge-service-key-0123456789',
    API_KEYS: `console:${SECRET}`,
    LOG_LEVEL: 'silent',
  },
  { runtime: 'test' },
)
const assetNamed = (pattern: RegExp) => CONSOLE_ASSETS.find((a) => pattern.test(a.name))!

describe('consoleRoutes', () => {
  it('Should serve the page naming the hashed JS and CSS, no-cache, under a strict CSP', async () => {
    const res = await app.request('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('Cache-Control')).toBe('no-cache')
    expect(res.headers.get('Content-Security-Policy')).toBe(CONSOLE_CSP)
    expect(CONSOLE_CSP).toContain("script-src 'self'")
    expect(CONSOLE_CSP).not.toContain('unsafe')
    // secureHeaders still applies app-wide.
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    const html = await res.text()
    const js = html.match(/src="\/assets\/(app\.[0-9a-f]{12}\.js)"/)?.[1]
    const css = html.match(/href="\/assets\/(app\.[0-9a-f]{12}\.css)"/)?.[1]
    expect(js).toBe(assetNamed(/\.js$/).name)
    expect(css).toBe(assetNamed(/\.css$/).name)
  })

  it('Should never put an API key in the page or its assets', async () => {
    const bodies = await Promise.all(
      ['/', ...CONSOLE_ASSETS.map((a) => `/assets/${a.name}`)].map(async (path) =>
        (await app.request(path)).text(),
      ),
    )
    for (const body of bodies) {
      expect(body).not.toContain(SECRET)
      expect(body).not.toMatch(/Bearer [A-Za-z0-9]/)
    }
    // The key is read from the tab's sessionStorage at call time, nowhere else.
    expect(bodies.join('\n')).toContain('sessionStorage')
  })

  it.each(CONSOLE_ASSETS.map((a) => [a.name, a] as const))(
    'Should serve %s immutable with its type and ETag',
    async (name, asset) => {
      const res = await app.request(`/assets/${name}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('Cache-Control')).toBe(ASSET_CACHE_CONTROL)
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
      expect(res.headers.get('Content-Type')).toBe(asset.contentType)
      expect(res.headers.get('ETag')).toBe(asset.etag)
      expect(await res.text()).toBe(asset.body)
    },
  )

  it('Should answer 304 with no body when the client holds the same bytes', async () => {
    const asset = CONSOLE_ASSETS[0]!
    const res = await app.request(`/assets/${asset.name}`, {
      headers: { 'If-None-Match': `W/"other", ${asset.etag}` },
    })
    expect(res.status).toBe(304)
    expect(await res.text()).toBe('')
    expect(res.headers.get('ETag')).toBe(asset.etag)
    const page = await app.request('/', { headers: { 'If-None-Match': CONSOLE_PAGE.etag } })
    expect(page.status).toBe(304)
    expect(page.headers.get('Cache-Control')).toBe('no-cache')
    const changed = await app.request('/', { headers: { 'If-None-Match': '"stale"' } })
    expect(changed.status).toBe(200)
  })

  it.each([
    '/assets/app.000000000000.js',
    '/assets/app.js',
    '/assets/__proto__',
    '/assets/constructor',
    '/assets/..%2Findex.html',
  ])('Should answer 404 JSON for %s', async (path) => {
    const res = await app.request(path)
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
  })
})
