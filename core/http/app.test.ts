import { describe, expect, it } from 'vitest'
import { parseApiKeys } from '../../edge/auth/index.ts'
import { memoryLogger } from '../../tests/support/logs.ts'
import { createCoreApp } from './app.ts'

function app(maxBodyBytes?: number) {
  const logger = memoryLogger()
  const hono = createCoreApp({
    logger,
    observe: () => {},
    apiKeys: parseApiKeys('ci:ci-secret-0123456789'),
    ...(maxBodyBytes ? { maxBodyBytes } : {}),
    routes: [
      (a, requireKey) => {
        a.post('/echo', requireKey, async (c) => c.json(await c.req.json()))
        a.get('/explode', () => {
          throw new Error('secret internals')
        })
      },
    ],
  })
  return { hono, logger }
}

const auth = { Authorization: 'Bearer ci-secret-0123456789' }

describe('core app', () => {
  it('Should answer unknown routes with a JSON 404', async () => {
    const res = await app().hono.request('/nope')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /nope' },
    })
  })

  it('Should tell a client which key it used', async () => {
    const { hono, logger } = app()
    expect((await hono.request('/v1/whoami')).status).toBe(401)
    const res = await hono.request('/v1/whoami', { headers: auth })
    expect(await res.json()).toEqual({ key: 'ci' })
    expect(JSON.stringify(logger.lines)).not.toContain('ci-secret-0123456789')
  })

  it('Should refuse bodies over the limit with 413 JSON', async () => {
    const res = await app(64).hono.request('/echo', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(100) }),
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } })
  })

  it('Should hide internals of an unexpected error and log them', async () => {
    const { hono, logger } = app()
    const res = await hono.request('/explode')
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).not.toContain('secret internals')
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal', message: 'Internal server error' },
    })
    expect(logger.lines.some((l) => l.level === 'error' && l.msg === 'unhandled error')).toBe(true)
  })
})
