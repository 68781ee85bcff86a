/**
 * @module
 * Entity tags as content hashes: SHA-256 (crypto.subtle, every runtime) of the
 * exact body bytes, base64url without padding, in quotes.
 */

const encoder = new TextEncoder()

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * The strong tag of `body`: `"<base64url(sha256(bytes))>"`. A string is hashed
 * as its UTF-8 bytes, which is what a Response sends for it.
 *
 * @example
 * await contentTag('{"result":{"data":1}}') // '"x3Rk...'
 */
export async function contentTag(body: string | ArrayBuffer | Uint8Array): Promise<string> {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return `"${base64url(new Uint8Array(digest))}"`
}

/** `tag` marked weak (`W/"..."`); a weak tag stays as it is. */
export function weakTag(tag: string): string {
  return tag.startsWith('W/') ? tag : `W/${tag}`
}
