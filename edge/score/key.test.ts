import { describe, expect, it } from 'vitest'
import { contentTag } from '../gateway/etag/tag.ts'
import { SCORE_KEY_PREFIX, scoreKey } from './key.ts'
import type { ScoreQuery } from './query.ts'

/** SHA-256 by the runtime's WebCrypto: an independent implementation to check against. */
async function webCryptoSha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
}

describe('scoreKey', () => {
  it.each<[ScoreQuery, string]>([
    [{ topic: 'summer festival' }, 'summer festival\u0000'],
    [{ topic: 'summer festival', product: 'mug' }, 'summer festival\u0000mug'],
    [{ topic: 'café 東京 🎉' }, 'café 東京 🎉\u0000'],
  ])('Should be the prefix and the SHA-256 hex of topic NUL product (%j)', async (query, text) => {
    const hex = Buffer.from(await webCryptoSha256(text)).toString('hex')
    expect(scoreKey(query)).toBe(`${SCORE_KEY_PREFIX}${hex}`)
  })
})

describe('contentTag', () => {
  it('Should be the quoted base64url SHA-256 of the UTF-8 bytes, for strings and buffers', async () => {
    const body = '{"result":{"data":{"topic":"café","score":71.5}}}'
    const expected = `"${Buffer.from(await webCryptoSha256(body)).toString('base64url')}"`
    expect(contentTag(body)).toBe(expected)
    expect(contentTag(new TextEncoder().encode(body))).toBe(expected)
    expect(contentTag(new TextEncoder().encode(body).buffer)).toBe(expected)
  })
})
