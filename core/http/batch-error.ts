/**
 * @module
 * The one way a refused batch (signals, experiment metrics) is answered: a
 * bad shape 400, too many items 413, bad items 400 listing each by index.
 * Every 400 carries `details.field` (`signals.3.topic`) like any other bad
 * input, plus `items` (index and the item's own field) for batch clients.
 */
import { ApiError } from '../../edge/errors/index.ts'
import { type BatchRefusal, invalidInput, WHOLE_ITEM } from '../../edge/validation/index.ts'

/** How a batch's items are named in messages. */
export interface BatchWording {
  /** Plural noun: `signals`. */
  noun: string
  max: number
  /** e.g. `A batch`, `A request`. */
  container: string
  /** What did not happen, e.g. `nothing was queued`. */
  consequence: string
  /** The capability's codes (its contract's): bad items 400, too many 413. */
  codes: { invalidItems: string; tooMany: string }
}

/** The ApiError for a refused batch. */
export function batchError(refusal: BatchRefusal, wording: BatchWording): ApiError {
  switch (refusal.reason) {
    case 'shape': {
      const message = `body must be { "${refusal.key}": [ ...1 or more ] }`
      return invalidInput([{ field: refusal.key, message }], { code: 'invalid_body' })
    }
    case 'too_many':
      return new ApiError(
        413,
        wording.codes.tooMany,
        `${wording.container} holds at most ${wording.max} ${wording.noun}; got ${refusal.count}`,
      )
    case 'items': {
      const problems = refusal.items.map((i) => ({
        field: [refusal.key, i.index, ...(i.field === WHOLE_ITEM ? [] : [i.field])].join('.'),
        message: i.message,
      }))
      const bad = new Set(refusal.items.map((i) => i.index)).size
      return invalidInput(problems, {
        code: wording.codes.invalidItems,
        message: `${bad} of ${refusal.count} ${wording.noun} are invalid; ${wording.consequence}`,
        extra: { items: refusal.items },
      })
    }
  }
}
