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
  const keyNameOf = apiKeyResolver(options.keys)
  const names = new Set(options.keys.map((key) => key.name))
  const trust = options.trustProxy ?? TRUST_NOTHING
  const { serviceKey } = options
  const isEdge = serviceKey ? apiKeyResolver([{ name: 'edge', secret: serviceKey }]) : undefined

  return async function clientIdentity(c, next) {
    const authorization = c.req.header('Authorization')
    let client: ClientIdentity
    if (isEdge && (await isEdge(authorization)) !== undefined) {
      client = forwardedIdentity(c.req.raw.headers, names)
    } else {
      const keyName = await keyNameOf(authorization)
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
