/**
 * @module
 * `GET /mockups/:id/image.{png,webp}` on the edge: a public, read-only proxy to
 * core's image route, so the image URLs the mock-up API returns (relative,
 * `/mockups/<id>/image.webp`) load from the edge's own origin (the console's CSP
 * allows images from 'self' only). The id must be a UUID and the URL is built
 * from validated parts under the configured `CORE_URL` only: the request can
 * choose neither host nor path (no SSRF, no traversal). Where core redirects
 * (images in a bucket: a CDN or presigned URL), the redirect is passed to the
 * client, not followed: the bytes never go through the edge.
 */
import type { Hono } from 'hono'
import { mockupContract } from '../contracts/mockups.ts'
import { ApiError } from '../errors/index.ts'
import { edgeCallHeaders } from '../identity/forward.ts'
import { validate } from '../validation/index.ts'

/** Options of {@link mockupImageRoutes}. */
export interface MockupImageRoutesOptions {
  /** Core's base URL (`CORE_URL`). */
  coreUrl: string
  /** The fetch core calls go through. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch
  /** Deadline of a core call, in ms. @defaultValue 5000 */
  timeoutMs?: number
  /** The edge's credential at core (`EDGE_SERVICE_KEY`): calls vouch for the caller, counted once. */
  serviceKey?: string
}

const IMAGE_TYPES = { png: 'image/png', webp: 'image/webp' } as const
/** Core's headers a cache needs; anything else (cookies, server details) stays behind. */
const PASSED_HEADERS = ['Cache-Control', 'ETag', 'Last-Modified'] as const
/** Redirect statuses core may answer with (302 for a published image). */
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** Core's redirect, as the edge passes it on: its status, an http(s) Location and caching. */
function passRedirect(res: Response): Response {
  const location = res.headers.get('Location')
  const target = location && URL.canParse(location) ? new URL(location) : undefined
  if (target?.protocol !== 'http:' && target?.protocol !== 'https:') {
    throw new ApiError(502, 'bad_gateway', 'the image service answered a bad redirect')
  }
  const headers = new Headers({ Location: target.href })
  const cacheControl = res.headers.get('Cache-Control')
  if (cacheControl) headers.set('Cache-Control', cacheControl)
  return new Response(null, { status: res.status, headers })
}

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
        headers: {
          Accept: IMAGE_TYPES[format],
          ...(options.serviceKey ? edgeCallHeaders(c.var.client, options.serviceKey) : {}),
        },
        // A redirect is the client's to follow (see passRedirect).
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch {
      throw new ApiError(502, 'bad_gateway', 'the image service is unreachable; retry later')
    }
    if (REDIRECTS.has(res.status)) {
      await res.body?.cancel()
      return passRedirect(res)
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
