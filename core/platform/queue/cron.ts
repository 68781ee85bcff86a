/**
 * @module
 * Cron patterns as BullMQ reads them (cron-parser: 5 fields, or 6 with
 * seconds first), checked with BullMQ's own next-run computation so a pattern
 * that passes here is one the scheduler accepts.
 */
import { getNextMillis } from 'bullmq'

/** Why `pattern` is not a usable cron pattern, or undefined when it is. */
export function cronProblem(pattern: string, tz = 'UTC'): string | undefined {
  // cron-parser reads an empty pattern as "every minute": never what was meant.
  if (pattern.trim() === '') return 'the pattern is empty'
  try {
    return getNextMillis(Date.now(), { pattern, tz }) === undefined
      ? 'the pattern never fires'
      : undefined
  } catch (err) {
    return (err as Error).message
  }
}
