/**
 * @module
 * The content types a backend accepts: one line of printable ASCII, since the
 * value ends up in a `Content-Type` header (no header injection).
 */

/** A non-empty line of printable ASCII, e.g. `image/png`. */
const CONTENT_TYPE = /^[!-~][ -~]{0,199}$/

/**
 * Checks a content type before it is stored.
 * @throws TypeError for an empty value or one that is not one line of printable ASCII
 */
export function assertContentType(contentType: string): void {
  if (!CONTENT_TYPE.test(contentType)) {
    throw new TypeError(`invalid content type ${JSON.stringify(contentType)}`)
  }
}
