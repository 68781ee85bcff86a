/**
 * @module
 * What the mock-up reconciler does with one unfinished row, given its
 * BullMQ job's state: pure, so every case is unit-tested without Redis.
 */
import type { MockupFailureCode, MockupStatus } from '../../edge/contracts/mockups.ts'

/** Job states after which nothing will move the row (`unknown`: no such job). */
const GONE_STATES: ReadonlySet<string> = new Set(['unknown', 'completed', 'failed'])

/** What to do with a row. */
export type ReconcileAction =
  | { kind: 'none' }
  | { kind: 'requeue' }
  | { kind: 'fail'; code: Extract<MockupFailureCode, 'job_lost'> }

/** How patient the reconciler is. */
export interface ReconcilePolicy {
  /** Rows younger than this are left alone (an add may still be landing). */
  graceMs: number
  /** Re-queues of one row before its next loss fails it. */
  maxRequeues: number
}

/** A row as the decision needs it. */
export interface ReconcileRow {
  status: MockupStatus
  requeues: number
  ageMs: number
}

/** The action for `row` whose job is in `jobState` (BullMQ's `getJobState`). */
export function reconcileAction(
  row: ReconcileRow,
  jobState: string,
  policy: ReconcilePolicy,
): ReconcileAction {
  const unfinished = row.status === 'queued' || row.status === 'running'
  if (!unfinished || row.ageMs < policy.graceMs || !GONE_STATES.has(jobState))
    return { kind: 'none' }
  // A queued row never ran: running it again is safe. A running one may have
  // half-run (and its worker's retries are gone with the job): fail it.
  if (row.status === 'queued' && row.requeues < policy.maxRequeues) return { kind: 'requeue' }
  return { kind: 'fail', code: 'job_lost' }
}
