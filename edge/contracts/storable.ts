/**
 * @module
 * Fields a 2xx promises the database will take (issue #21): times in a stated
 * window, values finite and bounded, text PostgreSQL can hold. The signal and
 * experiment contracts build their numbers and times from here, so a bound and
 * its message are written once.
 */
import { z } from 'zod'
import { isoTime } from './fields.ts'

/** Milliseconds since the epoch, now; injectable so tests can pin the window. */
export type Clock = () => number

/** Earliest time stored (signals' observedAt, experiment samples' at). */
export const EARLIEST_STORED_TIME = '2000-01-01T00:00:00Z'
const EARLIEST_MS = Date.parse(EARLIEST_STORED_TIME)

/**
 * Largest |value| stored. Every aggregate over stored values (the score's
 * sum() over a topic's 7 days, an experiment summary's sum/avg/percentiles)
 * adds at most one row per table row, and a table holds at most 2^63 rows (its
 * bigint identity): 2^63 * 1e12 ≈ 9.2e30, far below a double's 1.8e308, so no
 * sum can overflow to Infinity, whatever a client posts. 1e12 is still far
 * above any count, price or rate a signal or sample carries.
 */
export const MAX_ABS_VALUE = 1e12

/** A finite number within ±{@link MAX_ABS_VALUE}; `field` names it in the message. */
export function storableValue(field: string) {
  const error = `${field} must be a finite number from -${MAX_ABS_VALUE} to ${MAX_ABS_VALUE}`
  // zod's number already refuses NaN and Infinity, which JSON cannot carry anyway.
  return z.number({ error }).min(-MAX_ABS_VALUE, { error }).max(MAX_ABS_VALUE, { error })
}

/**
 * An ISO 8601 time from {@link EARLIEST_STORED_TIME} to `maxFutureSkewMs`
 * after `now()`, judged when validated (PostgreSQL refuses year 0, and a far
 * future would sit in every window forever).
 */
export function storableTime(field: string, maxFutureSkewMs: number, now: Clock) {
  const skewMinutes = maxFutureSkewMs / 60_000
  return (
    isoTime()
      // A malformed time is already reported by the format check: only judge real times.
      .refine((at) => !(Date.parse(at) < EARLIEST_MS), {
        error: `${field} must not be before ${EARLIEST_STORED_TIME}`,
      })
      .refine((at) => !(Date.parse(at) > now() + maxFutureSkewMs), {
        error: `${field} must not be more than ${skewMinutes} minutes in the future`,
      })
  )
}

// NUL and unpaired surrogates: PostgreSQL text and jsonb refuse both.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is looked for.
const UNSTORABLE_CHAR = /[\u0000\p{Cs}]/u
const UNSTORABLE_CHARS = new RegExp(UNSTORABLE_CHAR.source, 'gu')

/** Whether PostgreSQL text and jsonb can hold `text` as it is. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE_CHAR.test(text)
}

/** `text` with what PostgreSQL cannot hold replaced by U+FFFD. */
export function toStorableText(text: string): string {
  return text.replace(UNSTORABLE_CHARS, '\uFFFD')
}
