import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../tests/support/logs.ts'
import { parseApiKeys } from '../auth/keys.ts'
import { errorHandler } from '../errors/index.ts'
import { edgeCallHeaders } from '../identity/forward.ts'
import { clientIdentity } from '../identity/identity.ts'
import { fallbackCounter } from './fallback.ts'
import { memoryRateLimitStore } from './memory-store.ts'
import { type RateLimitOptions, rateLimit } from './rate-limit.ts'
import type { RateLimitObserver, RateLimitStore } from './types.ts'

const keys = parseApiKeys('console:console-secret-0123456789,ci:ci-secret-0123456789abc')
const SERVICE_KEY = 'edge-service-key-0123456789'

function app(options: Partial<RateLimitOptions> = {}) {
  const logger = memoryLogger()
  const hono = new Hono()
  hono.onError(errorHandler(logger))
  hono.get('/healthz', (c) => c.text('ok'))
  hono.use('*', clientIdentity({ keys, serviceKey: SERVICE_KEY }))
  hono.use('*', rateLimit({ store: memoryRateLimitStore(), limit: 2, logger, ...options }))
  hono.get('/things', (c) => c.json({ ok: true }))
  return { hono, logger }
}
const bearer = (secret: string) => ({ headers: { Authorization: `Bearer ${secret}` } })

/** A store that records the keys it counts and can be taken down. */
function switchableStore() {
  const inner = memoryRateLimitStore()
  const state = { down: false, keys: [] as string[] }
  const store: RateLimitStore = {
    hit: (key, windowMs, cost) => {
      if (state.down) return Promise.reject(new Error('ECONNREFUSED'))
      state.keys.push(key)
      return inner.hit(key, windowMs, cost)
    },
  }
  return { store, state }
}

function recordingObserver() {
  const events: string[] = []
  const observer: RateLimitObserver = {
    fallbackActive: (active) => events.push(active ? 'enter' : 'leave'),
    fallbackRequest: () => events.push('request'),
  }
  return { observer, events }
}

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

  it("Should count in the service's own key space", async () => {
    const { store, state } = switchableStore()
    await app({ store, service: 'core' }).hono.request('/things', bearer(keys[1]!.secret))
    await app({ store }).hono.request('/things')
    expect(state.keys).toEqual(['rl:core:key:ci', 'rl:edge:ip:unknown'])
  })

  it('Should charge what cost says (a batch: one per call)', async () => {
    const { hono } = app({ limit: 5, cost: (c) => Number(c.req.query('calls') ?? 1) })
    const batch = await hono.request('/things?calls=3')
    expect(batch.headers.get('RateLimit-Remaining')).toBe('2')
    expect((await hono.request('/things?calls=3')).status).toBe(429)
  })

  it('Should not count a call the edge vouched for again', async () => {
    const { store, state } = switchableStore()
    const { hono } = app({ store, limit: 1, service: 'core' })
    const headers = edgeCallHeaders(
      { keyName: 'ci', address: '203.0.113.7', viaEdge: false },
      SERVICE_KEY,
    )
    for (let i = 0; i < 3; i++) {
      const res = await hono.request('/things', { headers })
      expect(res.status).toBe(200)
      expect(res.headers.get('RateLimit-Limit')).toBeNull()
    }
    expect(state.keys).toEqual([])
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
    it("Should limit in memory to this process's share, logged and observed once", async () => {
      const { store, state } = switchableStore()
      state.down = true
      const { observer, events } = recordingObserver()
      const { hono, logger } = app({ store, limit: 4, processes: 2, observer })
      const statuses = []
      for (let i = 0; i < 3; i++) {
        statuses.push((await hono.request('/things', bearer(keys[1]!.secret))).status)
      }
      expect(statuses).toEqual([200, 200, 429])
      const limited = await hono.request('/things', bearer(keys[1]!.secret))
      expect(limited.headers.get('RateLimit-Limit')).toBe('2')
      const entered = logger.lines.filter((l) => l.msg?.includes('counting in memory'))
      expect(entered).toHaveLength(1)
      expect(entered[0]?.obj).toMatchObject({ service: 'edge', limit: 2, processes: 2 })
      expect(events).toEqual(['enter', 'request', 'request', 'request', 'request'])
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
    expect(() => rateLimit({ store, processes: 0 })).toThrow(/processes/)
  })
})

describe('fallbackCounter', () => {
  function counter(now: () => number) {
    const { store, state } = switchableStore()
    const { observer, events } = recordingObserver()
    const logger = memoryLogger()
    const fallback = fallbackCounter({
      store,
      limit: 10,
      processes: 3,
      timeoutMs: 50,
      probeMs: 1000,
      service: 'core',
      logger,
      observer,
      now,
    })
    return { fallback, state, events, logger }
  }

  it('Should try the store at most once per probe interval, and leave once it answers', async () => {
    let now = 5_000
    const { fallback, state, events, logger } = counter(() => now)
    state.down = true
    expect(await fallback.hit('k', 60_000, 1)).toMatchObject({ count: 1, limit: 3 })
    state.down = false
    // Within the probe interval: still in memory, the store is not asked.
    expect(await fallback.hit('k', 60_000, 1)).toMatchObject({ count: 2, limit: 3 })
    expect(state.keys).toEqual([])
    now += 1000
    expect(await fallback.hit('k', 60_000, 1)).toMatchObject({ count: 1, limit: 10 })
    expect(fallback.active).toBe(false)
    expect(events).toEqual(['enter', 'request', 'request', 'leave'])
    expect(logger.lines.map((l) => [l.level, l.msg])).toEqual([
      ['error', expect.stringContaining('counting in memory')],
      ['info', expect.stringContaining('store is back')],
    ])
  })
})

describe('memoryRateLimitStore', () => {
  it('Should keep at most maxBuckets buckets, dropping the oldest', async () => {
    const store = memoryRateLimitStore({ maxBuckets: 2 })
    await store.hit('a', 60_000, 1)
    await store.hit('b', 60_000, 1)
    await store.hit('c', 60_000, 1)
    // "a" was dropped: it starts a fresh window at 1.
    expect((await store.hit('a', 60_000, 1)).count).toBe(1)
    expect((await store.hit('c', 60_000, 2)).count).toBe(3)
  })
})
