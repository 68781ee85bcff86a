/**
 * @module
 * The one way a refused batch (signals, experiment metrics) is answered: a
 * bad shape 400, too many items 413, bad items 400 listing each by index.
 */
import { ApiError } from '../../edge/errors/index.ts'

/** Why a batch was refused, as the validators report it. */
export type BatchRefusal =
  | { ok: false; reason: 'shape'; message: string }
  | { ok: false; reason: 'too_many'; count: number }
  | { ok: false; reason: 'items'; items: readonly { index: number }[]; count: number }

/** How a batch's items are named in messages. */
export interface BatchWording {
  /** Plural noun, also in the error codes: `signals` → `too_many_signals`, `invalid_signals`. */
  noun: string
  max: number
  /** e.g. `A batch`, `A request`. */
  container: string
  /** What did not happen, e.g. `nothing was queued`. */
  consequence: string
}

/** The ApiError for a refused batch. */
export function batchError(refusal: BatchRefusal, wording: BatchWording): ApiError {
  switch (refusal.reason) {
    case 'shape':
      return new ApiError(400, 'invalid_body', refusal.message)
    case 'too_many':
      return new ApiError(
        413,
        `too_many_${wording.noun}`,
        `${wording.container} holds at most ${wording.max} ${wording.noun}; got ${refusal.count}`,
      )
    case 'items':
      return new ApiError(
        400,
        `invalid_${wording.noun}`,
        `${new Set(refusal.items.map((i) => i.index)).size} of ${refusal.count} ${wording.noun} are invalid; ${wording.consequence}`,
        { items: refusal.items },
      )
  }
}
