/**
 * @module
 * What `GET /signals/jobs/:id` shows of a job's `failedReason`. BullMQ keeps
 * the thrown error's message, and an outage or a missing table throws the
 * database driver's own text (hosts, relation names): that stays in the
 * worker's logs and the operator's queue dashboard. A client sees the reasons
 * the processor writes for it, or one fixed sentence.
 */
import { INVALID_PAYLOAD_REASON } from './processor.ts'

/** The reason shown for every failure the processor did not word for clients. */
export const WRITE_FAILED_REASON =
  'the batch could not be written yet; the worker retries it while attempts remain'

/** The client-visible form of `failedReason`: null when the job has not failed. */
export function publicFailedReason(reason: string | undefined): string | null {
  if (!reason) return null
  return reason.startsWith(INVALID_PAYLOAD_REASON) ? reason : WRITE_FAILED_REASON
}
