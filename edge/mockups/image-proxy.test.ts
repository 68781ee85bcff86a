/**
 * The edge's image proxy against a stand-in core (a `fetch` that records what
 * it was asked): only UUIDs pass, the URL stays under CORE_URL, the immutable
 * headers come through, and core's failures become the edge's JSON errors. The
 * real core behind it is exercised in tests/e2e and tests/console.
 */
import { Hono } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'
import { describe, expect, it } from 'vitest'
import { errorHandler, notFoundHandler } from '../errors/index.ts'
import { mockupImageRoutes } from './index.ts'

const ID = '3f1c6a52-8a6e-4c1f-9d57-2b0c1e4f5a6b'
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const IMMUTABLE = 'public, max-age=31536000, immutable'

function proxy(answer: (url: string) => Response | Promise<Response>, router?: TrieRouter<never>) {
  const asked: string[] = []
  const redirectModes: RequestInit['redirect'][] = []
  const app = new Hono(router ? { router } : {})
  app.onError(errorHandler({ error: () => {} }))
  app.notFound(notFoundHandler)
  mockupImageRoutes(app, {
    coreUrl: 'http://core.internal:3000/',
    fetch: async (input, init) => {
      const url = String(input)
      asked.push(url)
      redirectModes.push(init?.redirect)
      return answer(url)
    },
    timeoutMs: 200,
  })
  return { app, asked, redirectModes }
}

const image = () =>
  new Response(PNG, {
    headers: {
      'Content-Type': 'image/png',
      'Cache-Control': IMMUTABLE,
      'Set-Cookie': 'core=secret',
      'Content-Length': String(PNG.length),
    },
  })

describe('mockupImageRoutes', () => {
  it('Should pass the image and its immutable cache headers through', async () => {
    const { app, asked } = proxy(image)
    const res = await app.request(`/mockups/${ID.toUpperCase()}/image.png`)
    expect(res.status).toBe(200)
    expect(asked).toEqual([`http://core.internal:3000/mockups/${ID}/image.png`])
    expect(res.headers.get('Content-Type')).toBe('image/png')
    expect(res.headers.get('Cache-Control')).toBe(IMMUTABLE)
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG)
  })

  it("Should route under Hono's TrieRouter too (SmartRouter's fallback)", async () => {
    const { app, asked } = proxy(image, new TrieRouter())
    expect((await app.request(`/mockups/${ID}/image.png`)).status).toBe(200)
    expect((await app.request(`/mockups/${ID}/image.gif`)).status).toBe(404)
    expect(asked).toEqual([`http://core.internal:3000/mockups/${ID}/image.png`])
  })

  it('Should ask core for the webp at the same id', async () => {
    const { app, asked } = proxy(image)
    expect((await app.request(`/mockups/${ID}/image.webp`)).headers.get('Content-Type')).toBe(
      'image/webp',
    )
    expect(asked).toEqual([`http://core.internal:3000/mockups/${ID}/image.webp`])
  })

  it.each([
    'not-a-uuid',
    '..%2F..%2Fadmin',
    `${ID}x`,
    'http:%2F%2Fevil.example',
    '00000000-0000-0000-0000-00000000000g',
  ])('Should refuse id %s with 400 and never call core', async (id) => {
    const { app, asked } = proxy(image)
    const res = await app.request(`/mockups/${id}/image.png`)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_request', details: { field: 'id' } },
    })
    expect(asked).toEqual([])
  })

  it.each([
    `/mockups/${ID}/image.gif`,
    `/mockups/${ID}/image.png/../../admin`,
    `/mockups/../../etc/passwd/image.png`,
    // URL parsing turns %2e%2e into .., which leaves the route.
    '/mockups/%2e%2e/image.png',
  ])('Should not route %s at all', async (path) => {
    const { app, asked } = proxy(image)
    expect((await app.request(path)).status).toBe(404)
    expect(asked).toEqual([])
  })

  it("Should answer 404 for core's 404 and 502 for its other failures", async () => {
    const missing = proxy(() => Response.json({ error: { code: 'not_found' } }, { status: 404 }))
    const gone = await missing.app.request(`/mockups/${ID}/image.png`)
    expect(gone.status).toBe(404)
    expect(await gone.json()).toMatchObject({ error: { code: 'not_found' } })

    const broken = proxy(() => new Response('boom', { status: 500 }))
    expect((await broken.app.request(`/mockups/${ID}/image.png`)).status).toBe(502)

    const down = proxy(() => Promise.reject(new TypeError('fetch failed')))
    const res = await down.app.request(`/mockups/${ID}/image.png`)
    expect(res.status).toBe(502)
    expect(JSON.stringify(await res.json())).not.toContain('core.internal')
  })

  it("Should pass core's redirect (a bucket's URL) to the client instead of following it", async () => {
    const location = `https://cdn.example/mockups/${ID}/mockup.png?X-Amz-Signature=abc`
    const { app, redirectModes } = proxy(
      () =>
        new Response(null, {
          status: 302,
          headers: {
            Location: location,
            'Cache-Control': 'private, max-age=450',
            'Set-Cookie': 'x',
          },
        }),
    )
    const res = await app.request(`/mockups/${ID}/image.png`)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(location)
    expect(res.headers.get('Cache-Control')).toBe('private, max-age=450')
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect(redirectModes).toEqual(['manual'])
  })

  it.each([null, 'javascript:alert(1)', '/relative/path', 'not a url'])(
    'Should answer 502 for a redirect whose Location is %j',
    async (location) => {
      const { app } = proxy(
        () => new Response(null, { status: 302, headers: location ? { Location: location } : {} }),
      )
      const res = await app.request(`/mockups/${ID}/image.png`)
      expect(res.status).toBe(502)
      expect(res.headers.get('Location')).toBeNull()
    },
  )

  it('Should refuse a core URL that is not http(s) when built', () => {
    expect(() => mockupImageRoutes(new Hono(), { coreUrl: 'file:///etc' })).toThrow(/http/)
  })
})
