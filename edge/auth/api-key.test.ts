import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../tests/support/logs.ts'
import { errorHandler } from '../errors/index.ts'
import type { ClientIdentity } from '../identity/context.ts'
import { apiKeyAuth, parseApiKeys } from './index.ts'

const keys = parseApiKeys('console:0123456789abcdef-console,ci:ci-secret-0123456789')

function app() {
  const logger = memoryLogger()
  const hono = new Hono()
  hono.onError(errorHandler(logger))
  hono.post('/things', apiKeyAuth({ keys }), (c) => c.json({ key: c.get('apiKeyName') }))
  return { hono, logger }
}

describe('apiKeyAuth', () => {
  it('Should refuse a request without Authorization with 401 JSON', async () => {
    const res = await app().hono.request('/things', { method: 'POST' })
    expect(res.status).toBe(401)
    expect(res.headers.get('WWW-Authenticate')).toContain('Bearer')
    expect(await res.json()).toEqual({
      error: { code: 'unauthorized', message: expect.stringContaining('Missing Authorization') },
    })
  })

  it('Should refuse a wrong key and not echo it', async () => {
    const res = await app().hono.request('/things', {
      method: 'POST',
      headers: { Authorization: 'Bearer not-a-real-secret-123' },
    })
    expect(res.status).toBe(401)
    const text = await res.text()
    expect(text).toContain('Invalid API key')
    expect(text).not.toContain('not-a-real-secret-123')
  })

  it('Should refuse a non-Bearer scheme', async () => {
    const res = await app().hono.request('/things', {
      method: 'POST',
      headers: { Authorization: 'Basic Y2k6Y2ktc2VjcmV0' },
    })
    expect(res.status).toBe(401)
  })

  it('Should accept a right key and expose its name, not its secret', async () => {
    const res = await app().hono.request('/things', {
      method: 'POST',
      headers: { Authorization: 'Bearer ci-secret-0123456789' },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ key: 'ci' })
  })

  it('Should refuse everything when no keys are configured', async () => {
    const hono = new Hono()
    hono.onError(errorHandler(memoryLogger()))
    hono.post('/x', apiKeyAuth({ keys: [] }), (c) => c.text('no'))
    const res = await hono.request('/x', {
      method: 'POST',
      headers: { Authorization: 'Bearer anything-at-all-123' },
    })
    expect(res.status).toBe(401)
  })
})

describe('When Basic credentials are allowed', () => {
  const admin = () => {
    const hono = new Hono()
    hono.onError(errorHandler(memoryLogger()))
    hono.get('/admin', apiKeyAuth({ keys, basic: true }), (c) =>
      c.json({ key: c.get('apiKeyName') }),
    )
    return hono
  }
  const basic = (user: string, password: string) => ({
    Authorization: `Basic ${btoa(`${user}:${password}`)}`,
  })

  it('Should ask a browser for Basic credentials', async () => {
    const res = await admin().request('/admin')
    expect(res.status).toBe(401)
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Basic realm="admin"/)
  })

  it('Should accept a key secret as the password, whatever the user name', async () => {
    const res = await admin().request('/admin', {
      headers: basic('anyone', 'ci-secret-0123456789'),
    })
    expect(await res.json()).toEqual({ key: 'ci' })
    expect(
      (await admin().request('/admin', { headers: basic('ci', 'wrong-secret-0123456') })).status,
    ).toBe(401)
    expect(
      (await admin().request('/admin', { headers: { Authorization: 'Basic !!!' } })).status,
    ).toBe(401)
  })

  it('Should still refuse Basic credentials where they are not allowed', async () => {
    const res = await app().hono.request('/things', {
      method: 'POST',
      headers: basic('ci', 'ci-secret-0123456789'),
    })
    expect(res.status).toBe(401)
  })
})

describe('apiKeyAuth after clientIdentity', () => {
  /** An app whose first middleware names the caller as `clientIdentity` would. */
  const named = (client: ClientIdentity, vouched = false) => {
    const hono = new Hono()
    hono.onError(errorHandler(memoryLogger()))
    hono.use('*', async (c, next) => {
      c.set('client', client)
      await next()
    })
    hono.post('/things', apiKeyAuth({ keys, vouched }), (c) => c.json({ key: c.get('apiKeyName') }))
    return hono
  }

  it('Should take the key clientIdentity matched without matching it again', async () => {
    const res = await named({ keyName: 'ci', address: '10.0.0.1', viaEdge: false }).request(
      '/things',
      { method: 'POST' },
    )
    expect(await res.json()).toEqual({ key: 'ci' })
  })

  it('Should not take a name the edge forwarded unless the route accepts vouched callers', async () => {
    const forwarded: ClientIdentity = { keyName: 'ci', address: '10.0.0.1', viaEdge: true }
    expect((await named(forwarded).request('/things', { method: 'POST' })).status).toBe(401)
    const vouched = await named(forwarded, true).request('/things', { method: 'POST' })
    expect(await vouched.json()).toEqual({ key: 'ci' })
  })

  it('Should not take a name that is not among its own keys', async () => {
    const res = await named({ keyName: 'ops', address: '10.0.0.1', viaEdge: false }).request(
      '/things',
      { method: 'POST' },
    )
    expect(res.status).toBe(401)
  })
})
