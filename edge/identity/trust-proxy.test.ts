import { describe, expect, it } from 'vitest'
import { MAX_TRUSTED_HOPS, parseTrustProxy, TRUST_NOTHING, trustsHop } from './trust-proxy.ts'

describe('parseTrustProxy', () => {
  it.each([undefined, '', '  ', '0'])('Should trust nothing when it is %j', (value) => {
    expect(parseTrustProxy(value)).toEqual(TRUST_NOTHING)
  })

  it('Should read a whole number as hops nearest the server', () => {
    expect(parseTrustProxy(' 2 ')).toEqual({ kind: 'hops', hops: 2 })
    expect(() => parseTrustProxy(String(MAX_TRUSTED_HOPS + 1))).toThrow(/at most 32 hops/)
  })

  it('Should read addresses and CIDRs of both families', () => {
    const trust = parseTrustProxy('10.0.0.0/8, 192.168.1.7 ,fd00::/8, ::1')
    expect(trust.kind).toBe('ranges')
    for (const address of ['10.1.2.3', '192.168.1.7', 'fd00::42', '::1']) {
      expect(trustsHop(trust, address, 0), address).toBe(true)
    }
    for (const address of ['11.0.0.1', '192.168.1.8', 'fe80::1', '::2', 'unknown']) {
      expect(trustsHop(trust, address, 0), address).toBe(false)
    }
  })

  it('Should match IPv4-mapped IPv6 peers and ranges as the IPv4 they are', () => {
    expect(trustsHop(parseTrustProxy('10.0.0.0/8'), '::ffff:10.9.8.7', 0)).toBe(true)
    expect(trustsHop(parseTrustProxy('::ffff:10.0.0.0/104'), '10.9.8.7', 0)).toBe(true)
    expect(trustsHop(parseTrustProxy('::ffff:10.0.0.0/104'), '11.9.8.7', 0)).toBe(false)
  })

  it.each([
    ['10.0.0.0/33', /entry 1 \("10.0.0.0\/33"\) is not an IPv4 or IPv6 CIDR/],
    ['10.0.0.1,proxy.internal', /entry 2 \("proxy.internal"\) is not an IPv4 or IPv6 address/],
    ['1.5', /entry 1/],
    ['-1', /entry 1/],
    ['10.0.0.1,,10.0.0.2', /entry 2/],
  ])('Should name the bad entry of %j', (value, message) => {
    expect(() => parseTrustProxy(value)).toThrow(message)
  })
})

describe('trustsHop', () => {
  it('Should trust the first N hops whatever their address, and no hop with none', () => {
    const two = parseTrustProxy('2')
    expect([0, 1, 2].map((hop) => trustsHop(two, '203.0.113.9', hop))).toEqual([true, true, false])
    expect(trustsHop(TRUST_NOTHING, '10.0.0.1', 0)).toBe(false)
  })
})
