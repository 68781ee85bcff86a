import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { describe, expect, it } from 'vitest'
import { contentTag, ifNoneMatch, opaqueTag, trpcEtag } from './index.ts'

const BODY = JSON.stringify({ result: { data: { hello: 'world', n: [1, 2, 3] } } })

function app() {
  const hono = new Hono()
  hono.use('*', trpcEtag())
  hono.get('/ok', (c) =>
    c.body(BODY, 200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'public, max-age=60',
      Vary: 'trpc-accept',
      Date: 'Tue, 02 Jun 2026 10:00:00 GMT',
      'X-Other': 'dropped on 304',
    }),
  )
  hono.post('/ok', (c) => c.body(BODY, 200, { 'Content-Type': 'application/json' }))
  hono.get('/multi', (c) => c.body(BODY, 207, { 'Content-Type': 'application/json' }))
  hono.get('/error', (c) => c.body('{"error":{}}', 500, { 'Content-Type': 'application/json' }))
  hono.get('/stream', (c) => c.body(BODY, 200, { 'Content-Type': 'application/jsonl' }))
  return hono
}

const sha = async (text: string) => {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Buffer.from(digest).toString('base64url')
}

describe('trpcEtag', () => {
  it('Should tag a 200 JSON GET with the base64url SHA-256 of its exact bytes', async () => {
    const res = await app().request('/ok')
    expect(res.status).toBe(200)
    expect(res.headers.get('ETag')).toBe(`"${await sha(BODY)}"`)
    expect(await res.text()).toBe(BODY)
  })

  it('Should answer a matching If-None-Match with an empty 304 keeping the cache headers', async () => {
    const tag = contentTag(BODY)
    const res = await app().request('/ok', { headers: { 'If-None-Match': tag } })
    expect(res.status).toBe(304)
    expect(await res.arrayBuffer()).toHaveProperty('byteLength', 0)
    expect(res.headers.get('ETag')).toBe(tag)
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=60')
    expect(res.headers.get('Vary')).toBe('trpc-accept')
    expect(res.headers.get('Date')).toBe('Tue, 02 Jun 2026 10:00:00 GMT')
    expect(res.headers.get('X-Other')).toBeNull()
    expect(res.headers.get('Content-Type')).toBeNull()
  })

  it.each([
    ['a list holding the tag', (t: string) => `"other", ${t}, "more"`],
    ['the tag marked weak', (t: string) => `W/${t}`],
    ['a wildcard', () => '*'],
    ['a list without spaces', (t: string) => `"x",W/${t}`],
  ])('Should 304 on %s', async (_, header) => {
    const tag = contentTag(BODY)
    const res = await app().request('/ok', { headers: { 'If-None-Match': header(tag) } })
    expect(res.status).toBe(304)
  })

  it('Should answer 200 with the body when the tag does not match', async () => {
    const res = await app().request('/ok', { headers: { 'If-None-Match': '"stale", W/"older"' } })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(BODY)
  })

  it.each([
    ['a POST', '/ok', 'POST'],
    ['a 207 batch', '/multi', 'GET'],
    ['an error', '/error', 'GET'],
    ['a streamed answer', '/stream', 'GET'],
  ])('Should neither tag nor 304 %s', async (_, path, method) => {
    const res = await app().request(path, { method, headers: { 'If-None-Match': '*' } })
    expect(res.status).not.toBe(304)
    expect(res.headers.get('ETag')).toBeNull()
  })

  describe('When a compress middleware inside it encodes the body', () => {
    it('Should hash the decoded body and mark the tag weak', async () => {
      const hono = new Hono()
      hono.use('*', trpcEtag())
      hono.use('*', compress({ encoding: 'gzip', threshold: 0 }))
      hono.get('/big', (c) => c.body(BODY, 200, { 'Content-Type': 'application/json' }))
      const res = await hono.request('/big', { headers: { 'Accept-Encoding': 'gzip' } })
      expect(res.headers.get('Content-Encoding')).toBe('gzip')
      expect(res.headers.get('ETag')).toBe(`W/"${await sha(BODY)}"`)
      const again = await hono.request('/big', {
        headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': `"${await sha(BODY)}"` },
      })
      expect(again.status).toBe(304)
    })
  })
})

describe('ifNoneMatch', () => {
  it('Should compare weakly and ignore malformed members', () => {
    expect(ifNoneMatch('W/"a"', '"a"')).toBe(true)
    expect(ifNoneMatch('"a"', 'W/"a"')).toBe(true)
    expect(ifNoneMatch('a, "b"', '"a"')).toBe(false)
    expect(ifNoneMatch('"ab"', '"a"')).toBe(false)
    expect(ifNoneMatch('', '"a"')).toBe(false)
    expect(ifNoneMatch(undefined, '"a"')).toBe(false)
    expect(opaqueTag(' W/"x-y_z" ')).toBe('x-y_z')
    expect(opaqueTag('"in"side"')).toBeUndefined()
  })
})
