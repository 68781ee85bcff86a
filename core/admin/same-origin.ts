/**
 * @module
 * Cross-site request forgery guard for admin routes: a state-changing request
 * (not GET, HEAD or OPTIONS) must come from this site (its `Origin` names this
 * host) or carry a custom header, which a cross-site form cannot send and a
 * cross-site script cannot send with credentials without CORS allowing it.
 * Browsers hold admin credentials (HTTP Basic) and bull-board parses any body
 * as JSON, so a form post from another site would otherwise drive it.
 *
 * Not `hono/csrf`: it checks only the content types a form can send and lets
 * any other request through unchecked, and it answers plain text; here every
 * state-changing request is checked, and the refusal is the API's JSON error.
 */
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../../edge/errors/index.ts'

/** Options of {@link sameOriginOrHeader}. */
export interface SameOriginOptions {
  /** A header whose presence (any value) vouches for the request. @defaultValue 'X-Requested-By' */
  header?: string
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Whether `origin` names the host `url` was asked of. Hosts, not schemes: behind
 * a TLS-terminating ingress the app sees `http://` while the browser says
 * `https://`; a page on another host cannot claim this one in `Origin`.
 */
export function isSameHost(origin: string | undefined, url: string): boolean {
  if (!origin || origin === 'null') return false
  try {
    return new URL(origin).host === new URL(url).host
  } catch {
    return false
  }
}

/**
 * Refuses a state-changing request with neither a same-host `Origin` nor the
 * custom header: 403 JSON `forbidden`.
 *
 * @example
 * app.use('/admin/*', sameOriginOrHeader())
 */
export function sameOriginOrHeader(options: SameOriginOptions = {}): MiddlewareHandler {
  const header = options.header ?? 'X-Requested-By'
  return async function sameOriginOrHeader(c, next) {
    if (
      !SAFE_METHODS.has(c.req.method) &&
      !c.req.header(header) &&
      !isSameHost(c.req.header('Origin'), c.req.url)
    ) {
      throw new ApiError(
        403,
        'forbidden',
        `A ${c.req.method} to an admin route needs an Origin of this site or a ${header} header`,
      )
    }
    await next()
  }
}
