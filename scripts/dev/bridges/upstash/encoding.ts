/**
 * @module
 * Turns an ioredis raw reply (Buffers, numbers, null, nested arrays) into the
 * JSON value Upstash sends, plain UTF-8 or under `Upstash-Encoding: base64`.
 */

/** A reply as JSON: what goes in `{"result": ...}`. */
export type ReplyValue = string | number | null | ReplyValue[]

/**
 * Encodes one reply. With `base64`, every string, recursively in arrays, is
 * base64 of its raw bytes (so non-UTF-8 values survive), except a whole reply
 * that is the literal `OK`: @upstash/redis checks for `"OK"` only at the top and
 * base64-decodes every string inside arrays, so a nested `OK` must be encoded.
 */
export function encodeReply(reply: unknown, base64: boolean): ReplyValue {
  if (base64 && isOk(reply)) return 'OK'
  return encodeValue(reply, base64)
}

function isOk(reply: unknown): boolean {
  if (typeof reply === 'string') return reply === 'OK'
  return Buffer.isBuffer(reply) && reply.length === 2 && reply.toString('latin1') === 'OK'
}

function encodeValue(value: unknown, base64: boolean): ReplyValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return value
  if (Array.isArray(value)) return value.map((item) => encodeValue(item, base64))
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value))
  return bytes.toString(base64 ? 'base64' : 'utf8')
}
