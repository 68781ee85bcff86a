import { describe, expect, it } from 'vitest'
import { redirectCacheControl } from './published.ts'

describe('redirectCacheControl', () => {
  it('Should let shared caches keep a redirect to a CDN URL for a day', () => {
    expect(redirectCacheControl({ url: 'https://cdn/x', expiresInSeconds: null })).toBe(
      'public, max-age=86400',
    )
  })

  it('Should let only the client keep a redirect to a presigned URL, for half its life', () => {
    expect(redirectCacheControl({ url: 'https://s3/x?sig', expiresInSeconds: 900 })).toBe(
      'private, max-age=450',
    )
    expect(redirectCacheControl({ url: 'https://s3/x?sig', expiresInSeconds: 1 })).toBe(
      'private, max-age=0',
    )
  })
})
