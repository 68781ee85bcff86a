/**
 * @module
 * CORS for the console: an allow-list of exact origins (`CORS_ORIGINS`).
 * With none, nothing is added and browsers keep to same-origin. Any origin
 * not on the list gets no `Access-Control-Allow-Origin`, so its page cannot
 * read the answer.
 */
import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'

/** Options of {@link corsAllowList}. */
export interface CorsAllowListOptions {
  /** Origins allowed, exactly as browsers send them (`https://console.example.com`). */
  origins: readonly string[]
  /** Preflight cache lifetime, seconds. @defaultValue 600 */
  maxAge?: number
}

/** Headers a console sends: its key, JSON bodies, conditional queries, tRPC's own. */
const ALLOW_HEADERS = ['Authorization', 'Content-Type', 'If-None-Match', 'trpc-accept']
/** Headers a console reads. */
const EXPOSE_HEADERS = ['ETag', 'X-Cache', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining']

/** Parses and checks `CORS_ORIGINS` (`https://a.example,http://localhost:5173`); throws on a bad entry. */
export function parseCorsOrigins(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return []
  return value.split(',').map((entry, index) => {
    const origin = entry.trim()
    let parsed: URL | undefined
    try {
      parsed = new URL(origin)
    } catch {
      parsed = undefined
    }
    // An origin is scheme://host[:port] and nothing else: no path, no "*".
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new Error(`entry ${index + 1} must be an origin such as https://console.example.com`)
    }
    return origin
  })
}

/**
 * Answers CORS for the listed origins only; undefined when the list is empty
 * (mount nothing).
 *
 * @example
 * const allow = corsAllowList({ origins: ['https://console.example.com'] })
 * if (allow) app.use('*', allow)
 */
export function corsAllowList(options: CorsAllowListOptions): MiddlewareHandler | undefined {
  if (options.origins.length === 0) return undefined
  const allowed = new Set(options.origins)
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ALLOW_HEADERS,
    exposeHeaders: EXPOSE_HEADERS,
    maxAge: options.maxAge ?? 600,
    // Keys travel in Authorization, never cookies: no credentials mode.
    credentials: false,
  })
}
