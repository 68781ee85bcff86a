/**
 * @module
 * The bridge's failures in Upstash's shape, `{"error": "..."}` with a status:
 * Redis errors 400, bad bodies 400, oversized bodies 413, Redis unreachable 503.
 * Handlers throw; the app's one `onError` turns the exception into its response.
 */
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ReplyError } from 'ioredis'

/** An exception whose response is `{"error": message}` with `status`. */
export function upstashError(status: ContentfulStatusCode, message: string): HTTPException {
  return new HTTPException(status, { res: Response.json({ error: message }, { status }) })
}

/**
 * The message of an error Redis itself replied with (`ERR ...`, `WRONGTYPE ...`),
 * or throws a 503 for anything else: a closed or unwritable connection, a
 * timeout. Those mean Redis cannot answer, not that the command was wrong.
 */
export function replyErrorMessage(error: unknown): string {
  if (error instanceof ReplyError && error instanceof Error) return error.message
  const reason = error instanceof Error ? error.message : String(error)
  throw upstashError(503, `Redis is unavailable: ${reason}`)
}
