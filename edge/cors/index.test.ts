import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { corsAllowList, parseCorsOrigins } from './index.ts'

function app(origins: string[]) {
  const hono = new Hono()
  const allow = corsAllowList({ origins })
  if (allow) hono.use('*', allow)
  hono.get('/score', (c) => c.json({ ok: true }))
  return hono
}

describe('corsAllowList', () => {
  it('Should allow a listed origin and expose the console headers', async () => {
    const res = await app(['https://console.example.com']).request('/score', {
      headers: { Origin: 'https://console.example.com' },
    })
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://console.example.com')
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('ETag')
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull()
  })

  it('Should answer a preflight from a listed origin', async () => {
    const res = await app(['https://console.example.com']).request('/score', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://console.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Headers')).toContain('Authorization')
  })

  it('Should give an unlisted origin no Allow-Origin', async () => {
    const res = await app(['https://console.example.com']).request('/score', {
      headers: { Origin: 'https://evil.example' },
    })
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })

  describe('When no origin is listed', () => {
    it('Should add nothing: same-origin only', async () => {
      expect(corsAllowList({ origins: [] })).toBeUndefined()
      const res = await app([]).request('/score', { headers: { Origin: 'https://a.example' } })
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
    })
  })
})

describe('parseCorsOrigins', () => {
  it('Should parse origins and refuse paths, wildcards and other schemes', () => {
    expect(parseCorsOrigins(' https://a.example , http://localhost:5173')).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ])
    expect(parseCorsOrigins(undefined)).toEqual([])
    expect(() => parseCorsOrigins('https://a.example/path')).toThrow(/entry 1/)
    expect(() => parseCorsOrigins('https://a.example,*')).toThrow(/entry 2/)
    expect(() => parseCorsOrigins('ftp://a.example')).toThrow(/entry 1/)
  })
})
