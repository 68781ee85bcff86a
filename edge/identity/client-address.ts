/**
 * @module
 * The client's address behind proxies: start at the peer (the socket, or
 * what the platform reports) and step back through the recorded chain only
 * while the current hop is trusted. The first untrusted hop is the client:
 * whatever it wrote before itself could be forged.
 */
import { boundedMemo } from '../cache/memo.ts'
import { forwardedChain } from './forwarded.ts'
import { parseAddress, type TrustProxy, trustsHop } from './trust-proxy.ts'

/** Spellings kept at most (forwarded headers are anyone's text). */
const MAX_MEMO_ADDRESSES = 1024

/**
 * An address in one canonical spelling (IPv4-mapped IPv6 folded to IPv4), or
 * `text` as given. Memoised: parsing costs more than the rest of a cached
 * /score, and the same peers ask again and again.
 */
export const canonicalAddress: (text: string) => string = boundedMemo(
  (text) => parseAddress(text)?.toString() ?? text,
  MAX_MEMO_ADDRESSES,
)

/**
 * The client's address, from the `peer` (`'unknown'` where the runtime gives
 * none) and the forwarding headers, trusting only what `trust` allows.
 */
export function clientAddress(peer: string, headers: Headers, trust: TrustProxy): string {
  let address = canonicalAddress(peer)
  if (trust.kind === 'none') return address
  const chain = forwardedChain(headers)
  for (let hop = 0; trustsHop(trust, address, hop); hop++) {
    const previous = chain.pop()
    // A hop that recorded nothing, or something that is no address: stop at the last good one.
    if (previous === undefined || !parseAddress(previous)) return address
    address = canonicalAddress(previous)
  }
  return address
}
