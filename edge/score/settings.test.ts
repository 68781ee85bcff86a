import { describe, expect, it } from 'vitest'
import { scoreCacheControl, scoreHttpCaching, scoreSettings } from './settings.ts'

const CONFIG = {
  SCORE_CACHE_TTL_SECONDS: 300,
  SCORE_CACHE_SOFT_TTL_SECONDS: 60,
  SCORE_CACHE_TIMEOUT_MS: 250,
  SCORE_L1_TTL_MS: 2000,
  SCORE_L1_MAX_ENTRIES: 10_000,
}

describe('scoreSettings', () => {
  it('Should pass the TTLs, the deadline, the L1 bounds and the HTTP caching through', () => {
    expect(scoreSettings(CONFIG)).toEqual({
      ttlSeconds: 300,
      softTtlSeconds: 60,
      cacheTimeoutMs: 250,
      l1: { maxEntries: 10_000, ttlMs: 2000 },
      httpCaching: {
        clientMaxAge: 30,
        sharedMaxAge: 60,
        staleWhileRevalidate: 240,
        staleIfError: 300,
      },
    })
  })

  it('Should make the soft TTL a fifth of the hard one when unset', () => {
    const { SCORE_CACHE_SOFT_TTL_SECONDS: _, ...unset } = CONFIG
    expect(scoreSettings(unset)).toMatchObject({
      ttlSeconds: 300,
      softTtlSeconds: 60,
      httpCaching: { sharedMaxAge: 60, staleWhileRevalidate: 240 },
    })
  })

  it('Should turn the L1 off when its lifetime is 0', () => {
    expect(scoreSettings({ ...CONFIG, SCORE_L1_TTL_MS: 0 }).l1).toBe(false)
  })
})

describe('scoreHttpCaching', () => {
  it('Should take each set value over the one the TTLs give', () => {
    const caching = scoreHttpCaching(
      { ttlSeconds: 300, softTtlSeconds: 60 },
      {
        SCORE_CLIENT_MAX_AGE: 0,
        SCORE_SHARED_MAX_AGE: 120,
        SCORE_STALE_WHILE_REVALIDATE: 30,
        SCORE_STALE_IF_ERROR: 86_400,
      },
    )
    expect(scoreCacheControl(caching)).toBe(
      'public, max-age=0, s-maxage=120, stale-while-revalidate=30, stale-if-error=86400',
    )
  })
})
