/**
 * @module
 * Who is calling, as one typed context variable (`c.var.client`), set by
 * {@link clientIdentity} before the limiter and the routes run.
 */

/** The caller of a request. */
export interface ClientIdentity {
  /** The caller's API-key name: a valid key it sent, or one the edge vouched for. */
  keyName?: string
  /** The caller's address (after `TRUST_PROXY`), or `'unknown'` where none can be known. */
  address: string
  /**
   * True when the edge vouched for this identity with its service credential:
   * the call entered (and was counted) at the edge.
   */
  viaEdge: boolean
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The caller (set by `clientIdentity`). */
    client: ClientIdentity
  }
}

/** The rate-limit bucket of a caller: its key name, else its address. */
export function bucketOf(client: ClientIdentity): string {
  return client.keyName !== undefined ? `key:${client.keyName}` : `ip:${client.address}`
}
