import { describe, expect, it } from 'vitest'
import { scoreSettings } from './settings.ts'

const CONFIG = {
  SCORE_CACHE_TTL_SECONDS: 300,
  SCORE_CACHE_TIMEOUT_MS: 250,
  SCORE_L1_TTL_MS: 2000,
  SCORE_L1_MAX_ENTRIES: 10_000,
}

describe('scoreSettings', () => {
  it('Should pass the expiry, the deadline and the L1 bounds through', () => {
    expect(scoreSettings(CONFIG)).toEqual({
      ttlSeconds: 300,
      cacheTimeoutMs: 250,
      l1: { maxEntries: 10_000, ttlMs: 2000 },
    })
  })

  it('Should turn the L1 off when its lifetime is 0', () => {
    expect(scoreSettings({ ...CONFIG, SCORE_L1_TTL_MS: 0 }).l1).toBe(false)
  })
})
