/** @module Reading a JSON request body: malformed JSON is a 400, not a 500. */
import type { Context } from 'hono'
import { invalidInput } from '../../edge/validation/index.ts'

/** The parsed body, or a 400 `invalid_json`. */
export async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    throw invalidInput([{ field: 'body', message: 'Body must be JSON' }], { code: 'invalid_json' })
  }
}
