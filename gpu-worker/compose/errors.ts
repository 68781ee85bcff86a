/**
 * @module
 * The compositor's error: bad input (a design of the wrong size, an unknown
 * product, encoder options out of range). Thrown before any pixel is touched,
 * so a worker can fail the job without retrying it.
 */

/** Thrown for input the compositor refuses (a caller error: do not retry). */
export class ComposeInputError extends Error {
  override readonly name = 'ComposeInputError'
}
