import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../tests/support/logs.ts'
import { errorHandler } from '../errors/index.ts'
import { memoryRateLimitStore } from './memory-store.ts'
import { type RateLimitOptions, rateLimit } from './rate-limit.ts'
import type { RateLimitStore } from './types.ts'

const keys = [
  { name: 'console', secret: 'console-secret-0123456789' },
  { name: 'ci', secret: 'ci-secret-0123456789abc' },
]

function app(options: Partial<RateLimitOptions> = {}) {
  const logger = memoryLogger()
  const hono = new Hono()
  hono.onError(errorHandler(logger))
  hono.get('/healthz', (c) => c.text('ok'))
  hono.use('*', rateLimit({ store: memoryRateLimitStore(), limit: 2, keys, logger, ...options }))
  hono.get('/things', (c) => c.json({ ok: true }))
  return { hono, logger }
}
const bearer = (secret: string) => ({ headers: { Authorization: `Bearer ${secret}` } })

describe('rateLimit', () => {
  it('Should answer 429 JSON with Retry-After past the limit', async () => {
    const { hono } = app()
    expect((await hono.request('/things')).status).toBe(200)
    const second = await hono.request('/things')
    expect(second.headers.get('RateLimit-Remaining')).toBe('0')
    const res = await hono.request('/things')
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    expect(Number(res.headers.get('Retry-After'))).toBeLessThanOrEqual(60)
    expect(await res.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringContaining('at most 2 per 60 s') },
    })
  })

  it('Should count each key by its name, apart from anonymous callers', async () => {
    const { hono } = app()
    for (let i = 0; i < 2; i++) expect((await hono.request('/things')).status).toBe(200)
    expect((await hono.request('/things')).status).toBe(429)
    expect((await hono.request('/things', bearer(keys[0]!.secret))).status).toBe(200)
    expect((await hono.request('/things', bearer(keys[0]!.secret))).status).toBe(200)
    expect((await hono.request('/things', bearer(keys[0]!.secret))).status).toBe(429)
    expect((await hono.request('/things', bearer(keys[1]!.secret))).status).toBe(200)
  })

  it('Should count a wrong key as the anonymous caller it is', async () => {
    const { hono } = app()
    await hono.request('/things', bearer('not-a-key-but-long-enough'))
    await hono.request('/things', bearer('another-non-key-long-enough'))
    expect((await hono.request('/things')).status).toBe(429)
  })

  it('Should never limit /healthz', async () => {
    const { hono } = app({ limit: 1 })
    for (let i = 0; i < 5; i++) expect((await hono.request('/healthz')).status).toBe(200)
  })

  it('Should start again in the next window', async () => {
    let now = 1_000_000
    const { hono } = app({ store: memoryRateLimitStore({ now: () => now }), limit: 1 })
    expect((await hono.request('/things')).status).toBe(200)
    expect((await hono.request('/things')).status).toBe(429)
    now += 60_000
    expect((await hono.request('/things')).status).toBe(200)
  })

  describe('When the store fails', () => {
    it('Should let requests through and log once per window, naming no secret', async () => {
      const failing: RateLimitStore = { hit: () => Promise.reject(new Error('ECONNREFUSED')) }
      const { hono, logger } = app({ store: failing, limit: 1 })
      for (let i = 0; i < 3; i++) {
        expect((await hono.request('/things', bearer(keys[1]!.secret))).status).toBe(200)
      }
      expect(logger.lines.filter((l) => l.msg?.includes('rate-limit store failed'))).toHaveLength(1)
      expect(JSON.stringify(logger.lines)).not.toContain(keys[1]!.secret)
    })

    it('Should not wait for a store that never answers', async () => {
      const hanging: RateLimitStore = { hit: () => new Promise(() => {}) }
      const { hono } = app({ store: hanging, timeoutMs: 20 })
      expect((await hono.request('/things')).status).toBe(200)
    })
  })

  it('Should refuse a bad configuration when built', () => {
    const store = memoryRateLimitStore()
    expect(() => rateLimit({ store, limit: 0 })).toThrow(/limit/)
    expect(() => rateLimit({ store, windowMs: 10 })).toThrow(/windowMs/)
  })
})

describe('memoryRateLimitStore', () => {
  it('Should keep at most maxBuckets buckets, dropping the oldest', async () => {
    const store = memoryRateLimitStore({ maxBuckets: 2 })
    await store.hit('a', 60_000)
    await store.hit('b', 60_000)
    await store.hit('c', 60_000)
    // "a" was dropped: it starts a fresh window at 1.
    expect((await store.hit('a', 60_000)).count).toBe(1)
    expect((await store.hit('c', 60_000)).count).toBe(2)
  })
})
