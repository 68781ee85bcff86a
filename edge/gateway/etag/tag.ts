/**
 * @module
 * Entity tags as content hashes: SHA-256 of the exact body bytes, base64url
 * without padding, in quotes. Hashed synchronously (@noble/hashes, every
 * runtime): a score body is a few hundred bytes, and crypto.subtle's digest
 * would cost a thread-pool round trip per tag.
 */
import { sha256 } from '@noble/hashes/sha2.js'

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
 * contentTag('{"result":{"data":1}}') // '"x3Rk...'
 */
export function contentTag(body: string | ArrayBuffer | Uint8Array): string {
  const bytes =
    typeof body === 'string'
      ? encoder.encode(body)
      : body instanceof Uint8Array
        ? body
        : new Uint8Array(body)
  return `"${base64url(sha256(bytes))}"`
}

/** `tag` marked weak (`W/"..."`); a weak tag stays as it is. */
export function weakTag(tag: string): string {
  return tag.startsWith('W/') ? tag : `W/${tag}`
}
