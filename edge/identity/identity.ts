/**
 * @module
 * The client-identity middleware every app mounts first: the caller's key
 * name (a valid bearer key) and address (the runtime's peer, stepped back
 * through trusted proxies), or, on core, the identity the edge vouched for
 * with its service credential. Later middleware reads `c.var.client`.
 */
import type { MiddlewareHandler } from 'hono'
import { apiKeyResolver } from '../auth/api-key.ts'
import type { ApiKey } from '../auth/keys.ts'
import { clientAddress } from './client-address.ts'
import type { ClientIdentity } from './context.ts'
import { forwardedIdentity } from './forward.ts'
import { peerAddress } from './peer.ts'
import { TRUST_NOTHING, type TrustProxy } from './trust-proxy.ts'

/** The edge's entry among the secrets: never a key's name (names are [A-Za-z0-9_.-]). */
const EDGE = '\u0000edge'

/** Options of {@link clientIdentity}. */
export interface ClientIdentityOptions {
  /** Keys whose names identify callers (`API_KEYS`). */
  keys: readonly ApiKey[]
  /** Proxies whose forwarding headers are believed (`TRUST_PROXY`). @defaultValue trust nothing */
  trustProxy?: TrustProxy
  /**
   * The edge's service credential (`EDGE_SERVICE_KEY`), on core: a request
   * bearing it carries the caller's identity in headers. @defaultValue none:
   * no caller can be vouched for (the edge itself sets none)
   */
  serviceKey?: string
}

/**
 * Sets `c.var.client` for every later handler.
 *
 * @example
 * app.use('*', clientIdentity({ keys, trustProxy: parseTrustProxy('1'), serviceKey }))
 */
export function clientIdentity(options: ClientIdentityOptions): MiddlewareHandler {
  const names = new Set(options.keys.map((key) => key.name))
  const trust = options.trustProxy ?? TRUST_NOTHING
  const { serviceKey } = options
  // One matcher, so a request's secret is hashed once; the edge's entry first,
  // so its credential always means the edge.
  const nameOf = apiKeyResolver(
    serviceKey ? [{ name: EDGE, secret: serviceKey }, ...options.keys] : options.keys,
  )

  return async function clientIdentity(c, next) {
    let client: ClientIdentity
    const keyName = await nameOf(c.req.header('Authorization'))
    if (keyName === EDGE) {
      client = forwardedIdentity(c.req.raw.headers, names)
    } else {
      client = {
        ...(keyName === undefined ? {} : { keyName }),
        address: clientAddress(peerAddress(c), c.req.raw.headers, trust),
        viaEdge: false,
      }
    }
    c.set('client', client)
    await next()
  }
}
