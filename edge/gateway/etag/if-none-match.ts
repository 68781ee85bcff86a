/**
 * @module
 * `If-None-Match` evaluation per RFC 9110 section 13.1.2: the field is `*` or
 * a comma-separated list of entity tags, compared with the weak comparison
 * (`W/"x"` matches `"x"`: only the opaque part counts).
 */

// One entity tag: optional W/ and a quoted opaque part (no quotes inside; RFC 9110 8.8.3).
const ENTITY_TAG = /^(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/

/** The opaque part of `tag` (without `W/` and quotes), or undefined when malformed. */
export function opaqueTag(tag: string): string | undefined {
  return ENTITY_TAG.exec(tag.trim())?.[1]
}

/**
 * Whether `ifNoneMatch` matches the current representation's `etag`, i.e. the
 * condition is false and the answer is 304. `*` matches any current
 * representation; malformed members of the list are ignored.
 *
 * @example
 * ifNoneMatch('"a", W/"b"', '"b"') // true
 * ifNoneMatch('*', '"x"') // true
 */
export function ifNoneMatch(header: string | null | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  const current = opaqueTag(etag)
  if (current === undefined) return false
  // Opaque parts hold no commas in practice (ours are base64url), so a split is exact.
  return header.split(',').some((member) => opaqueTag(member) === current)
}
