/**
 * The client identity middleware: the peer as each runtime reports it (the
 * env Node's and Deno's servers pass, Cloudflare's header with its `cf`
 * object), forwarding headers only from trusted hops, key names from valid
 * keys, and the edge's vouching believed only with its service credential.
 * The runtimes themselves serve the app in tests/access/client-identity-runtimes.test.ts.
 */
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../tests/support/logs.ts'
import { apiKeyAuth } from '../auth/api-key.ts'
import { parseApiKeys } from '../auth/keys.ts'
import { errorHandler } from '../errors/index.ts'
import type { ClientIdentity } from './context.ts'
import { EDGE_CLIENT_ADDRESS, EDGE_CLIENT_KEY_NAME, edgeCallHeaders } from './forward.ts'
import { type ClientIdentityOptions, clientIdentity } from './identity.ts'
import { parseTrustProxy } from './trust-proxy.ts'

const keys = parseApiKeys('console:console-secret-0123456789,ops:ops-secret-0123456789ab')
const SERVICE_KEY = 'edge-service-key-0123456789'
const CLIENT = '203.0.113.7'
const SPOOF = '198.51.100.66'

function app(options: Partial<ClientIdentityOptions> = {}) {
  const hono = new Hono()
  hono.onError(errorHandler(memoryLogger()))
  hono.use('*', clientIdentity({ keys, ...options }))
  hono.get('/who', (c) => c.json(c.var.client))
  hono.get('/private', apiKeyAuth({ keys, vouched: true }), (c) => c.json(c.var.apiKeyName))
  hono.get('/admin', apiKeyAuth({ keys }), (c) => c.json(c.var.apiKeyName))
  return hono
}

const nodeEnv = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } })
const denoEnv = (hostname: string) => ({ remoteAddr: { transport: 'tcp', hostname, port: 1 } })
const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` })

async function who(hono: Hono, headers: Record<string, string> = {}, env?: object) {
  return (await (await hono.request('/who', { headers }, env)).json()) as ClientIdentity
}

describe('clientIdentity', () => {
  it('Should read the peer from the socket on Node and from remoteAddr on Deno', async () => {
    expect(await who(app(), {}, nodeEnv(`::ffff:${CLIENT}`))).toEqual({
      address: CLIENT,
      viaEdge: false,
    })
    expect(await who(app(), {}, denoEnv('2001:db8::9'))).toEqual({
      address: '2001:db8::9',
      viaEdge: false,
    })
  })

  it("Should read CF-Connecting-IP only from a request that carries Cloudflare's cf", async () => {
    const hono = app()
    const headers = { 'CF-Connecting-IP': CLIENT }
    const onWorkers = new Request('http://edge.test/who', { headers })
    Object.defineProperty(onWorkers, 'cf', { value: { colo: 'AMS' } })
    expect(await (await hono.fetch(onWorkers)).json()).toMatchObject({ address: CLIENT })
    // Anywhere else anyone can send the header: it names nobody.
    expect(await who(hono, headers)).toMatchObject({ address: 'unknown' })
    expect(await who(hono, headers, nodeEnv('10.0.0.1'))).toMatchObject({ address: '10.0.0.1' })
  })

  it('Should ignore spoofed forwarding headers from an untrusted hop', async () => {
    const spoofed = { 'X-Forwarded-For': SPOOF, Forwarded: `for=${SPOOF}` }
    expect(await who(app(), spoofed, nodeEnv(CLIENT))).toMatchObject({ address: CLIENT })
    const trusted = app({ trustProxy: parseTrustProxy('10.0.0.0/8') })
    expect(await who(trusted, spoofed, nodeEnv(CLIENT))).toMatchObject({ address: CLIENT })
  })

  it('Should believe X-Forwarded-For from a trusted proxy', async () => {
    const hono = app({ trustProxy: parseTrustProxy('10.0.0.0/8') })
    const headers = { 'X-Forwarded-For': `${SPOOF}, ${CLIENT}` }
    expect(await who(hono, headers, nodeEnv('10.0.0.1'))).toMatchObject({ address: CLIENT })
    const hops = app({ trustProxy: parseTrustProxy('1') })
    expect(await who(hops, headers, denoEnv('10.0.0.1'))).toMatchObject({ address: CLIENT })
  })

  it('Should name a caller by a valid key only', async () => {
    expect(await who(app(), bearer('ops-secret-0123456789ab'))).toEqual({
      keyName: 'ops',
      address: 'unknown',
      viaEdge: false,
    })
    expect(await who(app(), bearer('not-a-key-but-long-enough'))).not.toHaveProperty('keyName')
  })

  describe('When the edge vouches for a caller', () => {
    const core = () => app({ serviceKey: SERVICE_KEY })
    const fromEdge = { address: CLIENT, keyName: 'console', viaEdge: false }

    it('Should believe the forwarded identity with the service credential', async () => {
      const headers = edgeCallHeaders(fromEdge, SERVICE_KEY)
      expect(await who(core(), headers, nodeEnv('10.0.0.1'))).toEqual({
        keyName: 'console',
        address: CLIENT,
        viaEdge: true,
      })
      const res = await core().request('/private', { headers })
      expect(await res.json()).toBe('console')
    })

    it('Should ignore the forwarded identity without it, or with a wrong one', async () => {
      const forged = { [EDGE_CLIENT_ADDRESS]: SPOOF, [EDGE_CLIENT_KEY_NAME]: 'console' }
      for (const headers of [
        forged,
        { ...forged, ...bearer('wrong-service-key-0123456789') },
        { ...forged, ...bearer('ops-secret-0123456789ab') },
      ]) {
        const identity = await who(core(), headers, nodeEnv(CLIENT))
        expect(identity).toMatchObject({ address: CLIENT, viaEdge: false })
        expect(identity.keyName).not.toBe('console')
      }
      expect((await core().request('/private', { headers: forged })).status).toBe(401)
      // A user key still opens its own routes, as itself, whatever name it forwards.
      const own = await core().request('/private', {
        headers: { ...forged, ...bearer('ops-secret-0123456789ab') },
      })
      expect(await own.json()).toBe('ops')
    })

    it('Should drop a forwarded key name that is no key, and an address that is none', async () => {
      const headers = {
        ...bearer(SERVICE_KEY),
        [EDGE_CLIENT_KEY_NAME]: 'intruder',
        [EDGE_CLIENT_ADDRESS]: 'not an address',
      }
      expect(await who(core(), headers)).toEqual({ address: 'unknown', viaEdge: true })
      expect((await core().request('/private', { headers })).status).toBe(401)
    })

    it('Should not open routes whose auth does not accept vouching (admin)', async () => {
      const headers = edgeCallHeaders(fromEdge, SERVICE_KEY)
      expect((await core().request('/admin', { headers })).status).toBe(401)
    })

    it('Should trust no one when core has no service key', async () => {
      const headers = edgeCallHeaders(fromEdge, SERVICE_KEY)
      expect(await who(app(), headers, nodeEnv('10.0.0.1'))).toEqual({
        address: '10.0.0.1',
        viaEdge: false,
      })
    })
  })
})
