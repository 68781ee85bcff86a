import { describe, expect, it } from 'vitest'
import { clientAddress } from './client-address.ts'
import { forwardedChain } from './forwarded.ts'
import { parseTrustProxy } from './trust-proxy.ts'

const headers = (init: Record<string, string>) => new Headers(init)
const CLIENT = '203.0.113.7'
const SPOOF = '198.51.100.66'

describe('forwardedChain', () => {
  it('Should read X-Forwarded-For, client first, ports and spaces stripped', () => {
    expect(
      forwardedChain(headers({ 'X-Forwarded-For': `${CLIENT}:51000 , 10.0.0.2,2001:db8::1` })),
    ).toEqual([CLIENT, '10.0.0.2', '2001:db8::1'])
  })

  it('Should prefer Forwarded, reading quoted, bracketed and ported for= nodes', () => {
    const init = {
      Forwarded: `for=${CLIENT};proto=https, for="[2001:db8::7]:4711";by=10.0.0.1, For="10.0.0.2:80"`,
      'X-Forwarded-For': SPOOF,
    }
    expect(forwardedChain(headers(init))).toEqual([CLIENT, '2001:db8::7', '10.0.0.2'])
  })

  it('Should be empty with neither header', () => {
    expect(forwardedChain(headers({}))).toEqual([])
  })
})

describe('clientAddress', () => {
  it('Should take the peer and ignore spoofed headers when nothing is trusted', () => {
    const spoofed = headers({ 'X-Forwarded-For': SPOOF, Forwarded: `for=${SPOOF}` })
    expect(clientAddress(CLIENT, spoofed, parseTrustProxy(undefined))).toBe(CLIENT)
  })

  it('Should step back one recorded hop per trusted hop', () => {
    const chain = headers({ 'X-Forwarded-For': `${SPOOF}, ${CLIENT}, 10.0.0.9` })
    expect(clientAddress('10.0.0.1', chain, parseTrustProxy('1'))).toBe('10.0.0.9')
    expect(clientAddress('10.0.0.1', chain, parseTrustProxy('2'))).toBe(CLIENT)
  })

  it('Should not believe what a client wrote before the trusted proxy appended its peer', () => {
    // The client sent "X-Forwarded-For: SPOOF"; the trusted proxy appended the client's address.
    const chain = headers({ 'X-Forwarded-For': `${SPOOF}, ${CLIENT}` })
    expect(clientAddress('10.0.0.1', chain, parseTrustProxy('1'))).toBe(CLIENT)
    expect(clientAddress('10.0.0.1', chain, parseTrustProxy('10.0.0.0/8'))).toBe(CLIENT)
  })

  it('Should believe headers only from a peer in the trusted ranges', () => {
    const chain = headers({ 'X-Forwarded-For': SPOOF })
    // An untrusted peer (the client itself) sending the header: the header is ignored.
    expect(clientAddress(CLIENT, chain, parseTrustProxy('10.0.0.0/8'))).toBe(CLIENT)
    expect(clientAddress('10.1.1.1', chain, parseTrustProxy('10.0.0.0/8'))).toBe(SPOOF)
  })

  it('Should walk through several trusted proxies and stop at the first untrusted hop', () => {
    const chain = headers({ 'X-Forwarded-For': `${SPOOF}, ${CLIENT}, 10.0.0.3, fd00::5` })
    expect(clientAddress('10.0.0.1', chain, parseTrustProxy('10.0.0.0/8,fd00::/8'))).toBe(CLIENT)
  })

  it('Should stop at the last good hop when the chain runs out or holds no address', () => {
    expect(clientAddress('10.0.0.1', headers({}), parseTrustProxy('3'))).toBe('10.0.0.1')
    const chain = headers({ 'X-Forwarded-For': `${SPOOF}, unknown, ${CLIENT}` })
    expect(clientAddress('10.0.0.1', chain, parseTrustProxy('3'))).toBe(CLIENT)
  })

  it('Should spell an IPv4-mapped peer as IPv4 and keep an unknown peer unknown', () => {
    expect(clientAddress(`::ffff:${CLIENT}`, headers({}), parseTrustProxy(undefined))).toBe(CLIENT)
    expect(clientAddress('unknown', headers({}), parseTrustProxy('10.0.0.0/8'))).toBe('unknown')
  })
})
