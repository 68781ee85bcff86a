/**
 * @module
 * `GET /mockups/:id/image.{png,webp}` on the edge: a public, read-only proxy to
 * core's image route, so the image URLs the mock-up API returns (relative,
 * `/mockups/<id>/image.webp`) load from the edge's own origin (the console's CSP
 * allows images from 'self' only). The id must be a UUID and the URL is built
 * from validated parts under the configured `CORE_URL` only: the request can
 * choose neither host nor path (no SSRF, no traversal).
 */
import type { Hono } from 'hono'
import { mockupContract } from '../contracts/mockups.ts'
import { ApiError } from '../errors/index.ts'
import { validate } from '../validation/index.ts'

/** Options of {@link mockupImageRoutes}. */
export interface MockupImageRoutesOptions {
  /** Core's base URL (`CORE_URL`). */
  coreUrl: string
  /** The fetch core calls go through. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch
  /** Deadline of a core call, in ms. @defaultValue 5000 */
  timeoutMs?: number
}

const IMAGE_TYPES = { png: 'image/png', webp: 'image/webp' } as const
/** Core's headers a cache needs; anything else (cookies, server details) stays behind. */
const PASSED_HEADERS = ['Cache-Control', 'ETag', 'Last-Modified'] as const

/**
 * Adds the image proxy; throws at once on a core URL that is not http(s).
 *
 * @example
 * mockupImageRoutes(app, { coreUrl: 'http://127.0.0.1:3000' })
 */
export function mockupImageRoutes(app: Hono, options: MockupImageRoutesOptions): void {
  const base = new URL(options.coreUrl)
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`core URL must be http:// or https://, got ${base.protocol}`)
  }
  const root = base.href.replace(/\/$/, '')
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const timeoutMs = options.timeoutMs ?? 5000

  // One param per segment: Hono's TrieRouter (SmartRouter's fallback) never matches
  // `image.:format`, a literal and a param in one segment.
  app.get('/mockups/:id/:file{image\\.(?:png|webp)}', async function mockupImage(c) {
    // The contract's id: core would refuse any other, so it is never asked.
    const { id } = validate(mockupContract.idParam, { id: c.req.param('id') })
    const format = c.req.param('file').slice('image.'.length) as keyof typeof IMAGE_TYPES
    let res: Response
    try {
      res = await doFetch(`${root}/mockups/${id.toLowerCase()}/image.${format}`, {
        headers: { Accept: IMAGE_TYPES[format] },
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch {
      throw new ApiError(502, 'bad_gateway', 'the image service is unreachable; retry later')
    }
    if (!res.ok) {
      // Free the connection: the body of an error answer is not passed on.
      await res.body?.cancel()
      if (res.status === 404) {
        throw new ApiError(404, 'not_found', `mock-up ${id} has no ${format} image`)
      }
      throw new ApiError(502, 'bad_gateway', `the image service answered ${res.status}`)
    }
    const headers = new Headers({ 'Content-Type': IMAGE_TYPES[format] })
    for (const name of PASSED_HEADERS) {
      const value = res.headers.get(name)
      if (value) headers.set(name, value)
    }
    // fetch has already decoded a compressed body, so its length is only known when plain.
    const length = res.headers.get('Content-Length')
    if (length && !res.headers.has('Content-Encoding')) headers.set('Content-Length', length)
    return new Response(res.body, { status: 200, headers })
  })
}
