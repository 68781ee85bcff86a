/**
 * @module
 * Validation of a posted batch (`{ "<key>": [items] }`), item by item, so a
 * client learns every bad item (by index and field) in one answer.
 */
import { z } from 'zod'
import { describeIssue } from './issues.ts'

/** The field name of a problem with an item as a whole (not an object, say). */
export const WHOLE_ITEM = '(item)'

/** One problem of one item; `field` is the item's own field (`topic`). */
export interface ItemProblem {
  index: number
  field: string
  message: string
}

/** Why a batch was refused. */
export type BatchRefusal =
  | { ok: false; reason: 'shape'; key: string }
  | { ok: false; reason: 'too_many'; count: number }
  | { ok: false; reason: 'items'; key: string; items: ItemProblem[]; count: number }

/** The outcome of {@link validateBatch}. */
export type BatchValidation<T> = { ok: true; items: T[] } | BatchRefusal

/**
 * Checks that `body` is `{ [key]: [1..max items] }` and parses every item
 * with `item`; every bad item is reported, not only the first.
 */
export function validateBatch<S extends z.ZodType>(
  body: unknown,
  key: string,
  item: S,
  max: number,
): BatchValidation<z.output<S>> {
  const batch = z.object({ [key]: z.array(z.unknown()).min(1) }).safeParse(body)
  if (!batch.success) return { ok: false, reason: 'shape', key }
  const raw = batch.data[key] as unknown[]
  if (raw.length > max) return { ok: false, reason: 'too_many', count: raw.length }
  const items: ItemProblem[] = []
  const parsed: z.output<S>[] = []
  for (const [index, value] of raw.entries()) {
    const result = item.safeParse(value)
    if (result.success) {
      parsed.push(result.data)
      continue
    }
    for (const issue of result.error.issues)
      items.push({ index, ...describeIssue(issue, WHOLE_ITEM) })
  }
  if (items.length > 0) return { ok: false, reason: 'items', key, items, count: raw.length }
  return { ok: true, items: parsed }
}
