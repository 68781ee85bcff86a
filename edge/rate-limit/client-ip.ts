/**
 * @module
 * Who an anonymous request comes from, for its rate-limit bucket. Only
 * sources a client cannot forge are read: the socket on Node, and on
 * Cloudflare `CF-Connecting-IP` (which Cloudflare overwrites). Never
 * `X-Forwarded-For`, which anyone can send to get a fresh bucket.
 */
import type { Context } from 'hono'

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } }
}

/** The client's address, or `'unknown'` (one shared bucket) where none can be trusted. */
export function clientIp(c: Context): string {
  // @hono/node-server passes the IncomingMessage as `c.env.incoming`.
  const node = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress
  if (node) return node
  // Only on workerd is this header set by the platform (checked by its `cf` object).
  const cf = (c.req.raw as Request & { cf?: unknown }).cf
  const header = cf ? c.req.header('CF-Connecting-IP') : undefined
  return header || 'unknown'
}
