/**
 * @module
 * `TRUST_PROXY`: which hops in front of a service may tell it the client's
 * address. Pure, so config validation, every runtime and the tests share it.
 * Unset trusts nothing; a whole number N trusts the N hops nearest the
 * server (whatever their address); a comma-separated list of addresses and
 * CIDRs (IPv4 and IPv6) trusts the hops whose address is in one of them.
 */
import ipaddr from 'ipaddr.js'

type Address = ipaddr.IPv4 | ipaddr.IPv6

/** A parsed `TRUST_PROXY`. */
export type TrustProxy =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'ranges'; ranges: readonly [Address, number][] }

/** The most hops a count may name: more is a typo, not a deployment. */
export const MAX_TRUSTED_HOPS = 32

/** Trust nothing: the peer is the client. */
export const TRUST_NOTHING: TrustProxy = { kind: 'none' }

/**
 * Parses an address, folding IPv4-mapped IPv6 (`::ffff:10.0.0.1`, which a
 * dual-stack Node socket reports) into IPv4 so one client has one spelling.
 * Undefined when `text` is no address. IPv4 must be four decimal parts:
 * the legacy forms (`127.1`, `0x7f.0.0.1`) would give one client many spellings.
 */
export function parseAddress(text: string): Address | undefined {
  const valid = ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text)
  return valid ? ipaddr.process(text) : undefined
}

function parseRange(entry: string, index: number): [Address, number] {
  if (entry.includes('/')) {
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) && !ipaddr.IPv6.isValidCIDR(entry)) {
      throw new Error(`entry ${index + 1} ("${entry}") is not an IPv4 or IPv6 CIDR`)
    }
    const [base, bits] = ipaddr.parseCIDR(entry)
    // A mapped IPv6 range such as ::ffff:10.0.0.0/104 matches the IPv4 addresses it maps.
    if (base.kind() === 'ipv6' && (base as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(base as ipaddr.IPv6).toIPv4Address(), bits - 96]
    }
    return [base, bits]
  }
  const address = parseAddress(entry)
  if (!address) throw new Error(`entry ${index + 1} ("${entry}") is not an IPv4 or IPv6 address`)
  return [address, address.kind() === 'ipv4' ? 32 : 128]
}

/**
 * Parses `TRUST_PROXY`. Throws an `Error` naming the bad entry.
 *
 * @example
 * parseTrustProxy('2')                        // the two hops nearest the server
 * parseTrustProxy('10.0.0.0/8, fd00::/8')     // hops from these networks
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? ''
  if (text === '' || text === '0') return TRUST_NOTHING
  if (/^\d+$/.test(text)) {
    const hops = Number(text)
    if (hops > MAX_TRUSTED_HOPS) {
      throw new Error(`expected at most ${MAX_TRUSTED_HOPS} hops, or a list of CIDRs`)
    }
    return { kind: 'hops', hops }
  }
  const entries = text.split(',').map((entry) => entry.trim())
  return { kind: 'ranges', ranges: entries.map(parseRange) }
}

/**
 * Whether the hop at `address`, `index` hops from the server (0 is the peer),
 * may name the hop before it.
 */
export function trustsHop(trust: TrustProxy, address: string, index: number): boolean {
  switch (trust.kind) {
    case 'none':
      return false
    case 'hops':
      return index < trust.hops
    case 'ranges': {
      const parsed = parseAddress(address)
      if (!parsed) return false
      return trust.ranges.some(
        ([base, bits]) => base.kind() === parsed.kind() && parsed.match(base, bits),
      )
    }
  }
}
