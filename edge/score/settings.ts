/** @module The score service's and `/score`'s settings, read from the edge app's configuration on every runtime. */
import type { ScoreServiceOptions } from './service.ts'

/** The configuration fields the score service and route read (see edge/config/fields.ts). */
export interface ScoreConfig {
  SCORE_CACHE_TTL_SECONDS: number
  SCORE_CACHE_SOFT_TTL_SECONDS?: number | undefined
  SCORE_CACHE_TIMEOUT_MS: number
  SCORE_L1_TTL_MS: number
  SCORE_L1_MAX_ENTRIES: number
  SCORE_CLIENT_MAX_AGE?: number | undefined
  SCORE_SHARED_MAX_AGE?: number | undefined
  SCORE_STALE_WHILE_REVALIDATE?: number | undefined
  SCORE_STALE_IF_ERROR?: number | undefined
}

/**
 * The soft TTL when `SCORE_CACHE_SOFT_TTL_SECONDS` is unset: a fifth of the
 * hard TTL (60 s of the default 300 s), so a key asked for at least once in
 * the last four fifths is never cold.
 */
export function defaultSoftTtlSeconds(hardTtlSeconds: number): number {
  return hardTtlSeconds / 5
}

/** Soft and hard TTL, HTTP caching, cache deadline and L1 (off when `SCORE_L1_TTL_MS` is 0) from `config`. */
export function scoreSettings(
  config: ScoreConfig,
): Pick<
  ScoreServiceOptions,
  'ttlSeconds' | 'softTtlSeconds' | 'httpCaching' | 'cacheTimeoutMs' | 'l1'
> {
  const ttls = {
    ttlSeconds: config.SCORE_CACHE_TTL_SECONDS,
    softTtlSeconds:
      config.SCORE_CACHE_SOFT_TTL_SECONDS ?? defaultSoftTtlSeconds(config.SCORE_CACHE_TTL_SECONDS),
  }
  return {
    ...ttls,
    httpCaching: scoreHttpCaching(ttls, config),
    cacheTimeoutMs: config.SCORE_CACHE_TIMEOUT_MS,
    l1:
      config.SCORE_L1_TTL_MS > 0
        ? { maxEntries: config.SCORE_L1_MAX_ENTRIES, ttlMs: config.SCORE_L1_TTL_MS }
        : false,
  }
}

/** How long browsers and shared caches (the CDN) may keep a `/score` answer, in seconds. */
export interface ScoreHttpCaching {
  /** `max-age`. */
  clientMaxAge: number
  /** `s-maxage`. */
  sharedMaxAge: number
  /** `stale-while-revalidate`. */
  staleWhileRevalidate: number
  /** `stale-if-error`. */
  staleIfError: number
}

/** The `SCORE_*` HTTP caching overrides; each unset one follows the TTLs. */
export type ScoreHttpCachingConfig = Pick<
  ScoreConfig,
  | 'SCORE_CLIENT_MAX_AGE'
  | 'SCORE_SHARED_MAX_AGE'
  | 'SCORE_STALE_WHILE_REVALIDATE'
  | 'SCORE_STALE_IF_ERROR'
>

/**
 * The HTTP caching of `/score`, defaults tied to the TTLs: a shared cache
 * keeps an answer as long as the origin calls it fresh (the soft TTL) and
 * serves it stale, refreshing, as long as the origin would (to the hard TTL),
 * or through an origin error for one more hard TTL; a browser, which no one
 * can purge, half the soft TTL.
 */
export function scoreHttpCaching(
  ttls: { softTtlSeconds: number; ttlSeconds: number },
  config: ScoreHttpCachingConfig = {},
): ScoreHttpCaching {
  return {
    clientMaxAge: config.SCORE_CLIENT_MAX_AGE ?? Math.floor(ttls.softTtlSeconds / 2),
    sharedMaxAge: config.SCORE_SHARED_MAX_AGE ?? Math.floor(ttls.softTtlSeconds),
    staleWhileRevalidate:
      config.SCORE_STALE_WHILE_REVALIDATE ?? Math.floor(ttls.ttlSeconds - ttls.softTtlSeconds),
    staleIfError: config.SCORE_STALE_IF_ERROR ?? ttls.ttlSeconds,
  }
}

/** The `Cache-Control` value of a `/score` answer. */
export function scoreCacheControl(caching: ScoreHttpCaching): string {
  return (
    `public, max-age=${caching.clientMaxAge}, s-maxage=${caching.sharedMaxAge}, ` +
    `stale-while-revalidate=${caching.staleWhileRevalidate}, stale-if-error=${caching.staleIfError}`
  )
}
