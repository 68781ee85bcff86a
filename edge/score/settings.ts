/** @module The score service's settings, read from the edge app's configuration on every runtime. */
import type { ScoreServiceOptions } from './service.ts'

/** The configuration fields the score service reads (see edge/config/fields.ts). */
export interface ScoreConfig {
  SCORE_CACHE_TTL_SECONDS: number
  SCORE_CACHE_TIMEOUT_MS: number
  SCORE_L1_TTL_MS: number
  SCORE_L1_MAX_ENTRIES: number
}

/** Expiry, cache deadline and L1 (off when `SCORE_L1_TTL_MS` is 0) from `config`. */
export function scoreSettings(
  config: ScoreConfig,
): Pick<ScoreServiceOptions, 'ttlSeconds' | 'cacheTimeoutMs' | 'l1'> {
  return {
    ttlSeconds: config.SCORE_CACHE_TTL_SECONDS,
    cacheTimeoutMs: config.SCORE_CACHE_TIMEOUT_MS,
    l1:
      config.SCORE_L1_TTL_MS > 0
        ? { maxEntries: config.SCORE_L1_MAX_ENTRIES, ttlMs: config.SCORE_L1_TTL_MS }
        : false,
  }
}
