/** @module How long a redirect to a published object may be cached. */
import type { PublishedObject } from './types.ts'

/** A day: a CDN URL of a key never changes, but the CDN in front may be moved. */
const CDN_REDIRECT_MAX_AGE = 86_400

/**
 * Cache-Control of a redirect to `published`: a CDN URL is shared and stable;
 * a presigned URL is kept for half its life by the client alone, so a cached
 * redirect never leads to an expired URL.
 * @example
 * redirectCacheControl({ url, expiresInSeconds: 900 }) // 'private, max-age=450'
 */
export function redirectCacheControl(published: PublishedObject): string {
  if (published.expiresInSeconds === null) return `public, max-age=${CDN_REDIRECT_MAX_AGE}`
  return `private, max-age=${Math.floor(published.expiresInSeconds / 2)}`
}
