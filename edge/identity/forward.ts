/**
 * @module
 * How the edge tells core who the caller is: its own service credential
 * (`EDGE_SERVICE_KEY`) as the bearer, and the caller's address and key name
 * in two headers. Core believes those headers only next to that credential;
 * the caller's own secret stays at the edge.
 */
import type { ClientIdentity } from './context.ts'
import { parseAddress } from './trust-proxy.ts'

/** The caller's address, as the edge saw it. */
export const EDGE_CLIENT_ADDRESS = 'X-Edge-Client-Address'
/** The caller's API-key name, when it sent a valid key to the edge. */
export const EDGE_CLIENT_KEY_NAME = 'X-Edge-Client-Key-Name'

/** The headers of a call the edge makes to core on behalf of `client`. */
export function edgeCallHeaders(
  client: ClientIdentity,
  serviceKey: string,
): Record<string, string> {
  return {
    Authorization: `Bearer ${serviceKey}`,
    [EDGE_CLIENT_ADDRESS]: client.address,
    ...(client.keyName === undefined ? {} : { [EDGE_CLIENT_KEY_NAME]: client.keyName }),
  }
}

/**
 * The identity the edge forwarded (call only once its service credential
 * checked out): a key name only when it is one of `knownNames`, an address
 * only when it is one.
 */
export function forwardedIdentity(
  headers: Headers,
  knownNames: ReadonlySet<string>,
): ClientIdentity {
  const name = headers.get(EDGE_CLIENT_KEY_NAME) ?? undefined
  const address = headers.get(EDGE_CLIENT_ADDRESS) ?? ''
  return {
    ...(name !== undefined && knownNames.has(name) ? { keyName: name } : {}),
    address: parseAddress(address)?.toString() ?? 'unknown',
    viaEdge: true,
  }
}
