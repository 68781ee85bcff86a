/**
 * @module
 * The web console at `/`: a page and its content-hashed JS and CSS, embedded in
 * the code (`assets.generated.ts`, built by `scripts/build_console.ts`) because
 * workerd and Deno Deploy read no files. The page is `no-cache` (a CDN's default
 * expiry must never serve a stale page naming old assets) under a CSP that
 * allows only this origin; the hashed assets are immutable for a year.
 */
import type { Context, Hono } from 'hono'
import { ApiError } from '../errors/index.ts'
import { ifNoneMatch } from '../gateway/etag/index.ts'
import { CONSOLE_ASSETS, CONSOLE_PAGE } from './assets.generated.ts'
import type { ConsoleAsset } from './types.ts'

export type { ConsoleAsset } from './types.ts'

/** `Cache-Control` of the page: revalidate every time (304 while unchanged). */
export const PAGE_CACHE_CONTROL = 'no-cache'
/** `Cache-Control` of hashed assets: a new content is a new name. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable'
/**
 * The page's Content-Security-Policy: scripts, styles, images and API calls
 * from this origin only; no inline code, no plugins, no framing.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

// A Map, not an object: a name such as `__proto__` must not find anything.
const ASSETS = new Map(CONSOLE_ASSETS.map((asset) => [asset.name, asset]))

/** Answers with `asset`, or 304 when the client holds the same bytes. */
function serve(c: Context, asset: ConsoleAsset, cacheControl: string): Response {
  c.header('Cache-Control', cacheControl)
  c.header('ETag', asset.etag)
  if (ifNoneMatch(c.req.header('If-None-Match'), asset.etag)) return c.body(null, 304)
  c.header('Content-Type', asset.contentType)
  return c.body(asset.body)
}

/**
 * Adds the console: `GET /` and `GET /assets/:name` (404 for unknown names).
 *
 * @example
 * consoleRoutes(app)
 */
export function consoleRoutes(app: Hono): void {
  app.get('/', (c) => {
    c.header('Content-Security-Policy', CONSOLE_CSP)
    return serve(c, CONSOLE_PAGE, PAGE_CACHE_CONTROL)
  })
  app.get('/assets/:name', (c) => {
    const asset = ASSETS.get(c.req.param('name'))
    if (!asset) throw new ApiError(404, 'not_found', 'no such asset')
    return serve(c, asset, ASSET_CACHE_CONTROL)
  })
}
