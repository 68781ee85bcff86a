/**
 * @module
 * The failure code a mock-up row gets for the error its job failed with
 * (`edge/contracts/mockups.ts` MOCKUP_FAILURES). Only the code is stored and
 * shown; the raw error is logged by the worker.
 */
import { UnrecoverableError } from 'bullmq'
import type { MockupFailureCode } from '../../edge/contracts/mockups.ts'
import { ComposeInputError } from '../compose/index.ts'
import { SdInputError } from '../sd/index.ts'
import { SlotWaitTimeoutError } from '../slots/index.ts'

/** A job payload outside the contract (an older or foreign producer). */
export class MockupJobInputError extends Error {
  override readonly name = 'MockupJobInputError'
}

/** Storing an image failed; `cause` is the backend's error. */
export class MockupStorageError extends Error {
  override readonly name = 'MockupStorageError'
}

/** An error BullMQ will not retry that keeps `err` as its cause, so its code can still be found. */
export function unrecoverable(err: Error): UnrecoverableError {
  return Object.assign(new UnrecoverableError(err.message), { cause: err })
}

const CAUSE_DEPTH = 5

/** The code for `err`, looking through its causes (the wrappers above). */
export function failureCodeOf(err: unknown): MockupFailureCode {
  let e = err
  for (let depth = 0; e instanceof Error && depth < CAUSE_DEPTH; depth++, e = e.cause) {
    if (
      e instanceof SdInputError ||
      e instanceof ComposeInputError ||
      e instanceof MockupJobInputError
    )
      return 'invalid_input'
    if (e instanceof SlotWaitTimeoutError) return 'gpu_busy'
    if (e instanceof MockupStorageError) return 'storage_failed'
  }
  return 'generation_failed'
}
