/** @module The error a handler throws to answer a client with its status, code and message. */
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** An error meant for the client: its status, code and message are sent as they are. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }
}
