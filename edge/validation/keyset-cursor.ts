/**
 * @module
 * Opaque keyset-pagination cursors: base64url (no padding) of the JSON
 * `[key, id]` of the last row of a page. Portable (btoa/atob only).
 */
import { z } from 'zod'

/** Encodes the position after a row: its sort key (as text) and its id. */
export function encodeKeysetCursor(key: string, id: number): string {
  return btoa(JSON.stringify([key, id]))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

/**
 * A schema for cursors {@link encodeKeysetCursor} made: `{ key, id }`, where
 * `isKey` accepts the key; anything else is "not a cursor this API returned".
 */
export function keysetCursor(isKey: (key: string) => boolean) {
  return z
    .string()
    .max(200)
    .transform((text, ctx) => {
      try {
        const parsed: unknown = JSON.parse(atob(text.replace(/-/g, '+').replace(/_/g, '/')))
        if (
          Array.isArray(parsed) &&
          parsed.length === 2 &&
          typeof parsed[0] === 'string' &&
          isKey(parsed[0]) &&
          Number.isSafeInteger(parsed[1])
        ) {
          return { key: parsed[0], id: parsed[1] as number }
        }
      } catch {
        // Falls through to the issue below.
      }
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' })
      return z.NEVER
    })
}
