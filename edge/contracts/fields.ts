/**
 * @module
 * Field builders every contract uses, so a bound and its message are written
 * once: "must be a whole number from 1 to 50" comes from the bounds themselves.
 */
import { z } from 'zod'

/** Options of {@link wholeNumber}. */
export interface WholeNumberOptions {
  /** Read from a string (query strings, path params). @defaultValue false */
  coerce?: boolean
}

/**
 * A whole number within [min, max]; every failure says the same thing, so a
 * client learns the bounds from any refusal.
 *
 * @example
 * const steps = wholeNumber(1, 50)                       // JSON bodies
 * const limit = wholeNumber(1, 100, { coerce: true })    // query strings
 */
export function wholeNumber(min: number, max: number, options: WholeNumberOptions = {}) {
  const error = `must be a whole number from ${min} to ${max}`
  const base = options.coerce ? z.coerce.number({ error }) : z.number({ error })
  return base.int({ error }).min(min, { error }).max(max, { error })
}

/** One of `values`, with a message that lists them (validation prefixes the field). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` })
}

/** An ISO 8601 time with an offset (`2026-06-01T00:00:00Z`). */
export const isoTime = () =>
  z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2026-06-01T00:00:00Z' })

/** Text without control characters or U+FFFD (what URL decoding leaves for bad UTF-8). */
export const FORBIDDEN_TEXT = /[\p{Cc}\uFFFD]/u
