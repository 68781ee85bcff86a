/**
 * @module
 * One pass of the mock-up reconciler: unfinished rows older than the grace
 * whose job is gone (Redis lost, an add that timed out but left the row) are
 * re-queued from the row, once, or failed with `job_lost`. Each action is
 * logged and counted; a Redis outage ends the pass (the next one retries).
 */
import type { Counter } from 'prom-client'
import type { MockupJob, MockupRecord } from '../../edge/contracts/mockups.ts'
import type { Logger } from '../platform/logger.ts'
import type { MockupRecords, UnfinishedMockup } from '../platform/mockups/index.ts'
import { type ReconcilePolicy, reconcileAction } from './reconcile.ts'
import type { MockupQueue } from './routes.ts'

/** What a pass needs. */
export interface ReconcilerDeps {
  records: Pick<MockupRecords, 'unfinished' | 'countRequeue' | 'markFailed'>
  queue: MockupQueue
  logger: Pick<Logger, 'info'>
  policy: ReconcilePolicy
  /** `mockup_reconciled_total{action}`. */
  counter?: Pick<Counter<'action'>, 'inc'>
  /** Rows looked at per pass, oldest first. @defaultValue 500 */
  batch?: number
}

/** Actions taken by one pass. */
export interface ReconcileReport {
  requeued: number
  failed: number
}

/** The job a row was queued as (the row keeps every resolved parameter). */
export function jobOfRecord(m: MockupRecord): MockupJob {
  const { id, prompt, product, seed, steps, width, height } = m
  return { mockupId: id, prompt, product, seed, steps, width, height }
}

async function requeue(deps: ReconcilerDeps, row: UnfinishedMockup, jobState: string) {
  const { id } = row.record
  // A finished job keeps the id; BullMQ ignores an add under an id it holds.
  if (jobState !== 'unknown') await deps.queue.queue.remove(id)
  if (!(await deps.records.countRequeue(id))) return false
  await deps.queue.add('mockup', jobOfRecord(row.record), { jobId: id })
  return true
}

/** Runs one pass over the unfinished rows. @throws when PostgreSQL or Redis cannot answer. */
export async function reconcileMockups(deps: ReconcilerDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = { requeued: 0, failed: 0 }
  const rows = await deps.records.unfinished(deps.policy.graceMs, deps.batch ?? 500)
  for (const row of rows) {
    const { id, status } = row.record
    const jobState = await deps.queue.getJobState(id)
    const action = reconcileAction({ status, ...row }, jobState, deps.policy)
    if (action.kind === 'none') continue
    // Conditional writes: a row that moved on since it was read is left alone.
    const done =
      action.kind === 'requeue'
        ? await requeue(deps, row, jobState)
        : await deps.records.markFailed(id, action.code, status)
    if (!done) continue
    const counted = action.kind === 'requeue' ? 'requeued' : 'failed'
    report[counted]++
    deps.counter?.inc({ action: counted })
    deps.logger.info(
      { mockupId: id, status, jobState, requeues: row.requeues, ageMs: Math.round(row.ageMs) },
      `mock-up ${counted} by the reconciler`,
    )
  }
  return report
}
