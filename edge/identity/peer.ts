/**
 * @module
 * The address of whoever opened the connection, as each runtime reports it:
 * Node's socket (`@hono/node-server` passes the IncomingMessage as
 * `c.env.incoming`), Deno's `remoteAddr` (`deno serve` passes its handler
 * info as `c.env`), and on Cloudflare `CF-Connecting-IP`, which Cloudflare
 * sets and overwrites (read only where the request has Cloudflare's `cf`).
 */
import type { Context } from 'hono'

interface RuntimeBindings {
  incoming?: { socket?: { remoteAddress?: string } }
  remoteAddr?: { hostname?: unknown }
}

/** The peer's address, or `'unknown'` where the runtime gives none (e.g. `app.request()` in tests). */
export function peerAddress(c: Context): string {
  const env = c.env as RuntimeBindings | undefined
  const node = env?.incoming?.socket?.remoteAddress
  if (node) return node
  const deno = env?.remoteAddr?.hostname
  if (typeof deno === 'string' && deno) return deno
  const cf = (c.req.raw as Request & { cf?: unknown }).cf
  return (cf ? c.req.header('CF-Connecting-IP') : undefined) || 'unknown'
}
