/** @module Who is calling: client addresses behind trusted proxies, key names, the edge's vouching. */
export { canonicalAddress, clientAddress } from './client-address.ts'
export { bucketOf, type ClientIdentity } from './context.ts'
export {
  EDGE_CLIENT_ADDRESS,
  EDGE_CLIENT_KEY_NAME,
  edgeCallHeaders,
  forwardedIdentity,
} from './forward.ts'
export { forwardedChain } from './forwarded.ts'
export { type ClientIdentityOptions, clientIdentity } from './identity.ts'
export { peerAddress } from './peer.ts'
export {
  MAX_TRUSTED_HOPS,
  parseAddress,
  parseTrustProxy,
  TRUST_NOTHING,
  type TrustProxy,
  trustsHop,
} from './trust-proxy.ts'
