/**
 * @module
 * Bearer-token check for the Upstash bridge, as Upstash answers it:
 * 401 `{"error":"Unauthorized"}`.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/**
 * Middleware accepting only `Authorization: Bearer <token>`. Both sides are
 * hashed first so the constant-time compare sees equal lengths and the
 * token's length does not leak through timing either.
 *
 * @param token - the expected token; must not be empty
 */
export function upstashAuth(token: string): MiddlewareHandler {
  if (token === '') throw new Error('the Upstash bridge needs a non-empty token')
  const expected = digest(token)
  return async function upstashAuth(c, next) {
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer\s+(.+)$/i.exec(header)
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      return c.json({ error: 'Unauthorized' }, 401)
    }
    await next()
  }
}
