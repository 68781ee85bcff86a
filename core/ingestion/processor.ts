/**
 * @module
 * The `signal-ingestion` job: parse the payload, write the batch with one
 * idempotent insert. A retried job (a lost lock, a failed attempt, a worker
 * killed after its insert) writes nothing twice, because every row carries its
 * dedupe key and the insert skips keys already stored. When the database
 * refuses rows on their data (SQLSTATE 22, 23) the good ones are still written
 * and the refused ones kept in `rejected_signals`, and the job completes:
 * retrying would fail the same way. Other errors are rethrown unchanged.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { type Job, UnrecoverableError } from 'bullmq'
import type pg from 'pg'
import {
  type SignalIngestionJob,
  type SignalIngestionResult,
  signalContract,
  toSignalRecord,
} from '../../edge/contracts/signals.ts'
import { insertSignalsIsolating, recordRejectedSignals } from '../signals/index.ts'
import { signalJobTenant } from './job-tenant.ts'

/** Options of {@link createSignalProcessor}. */
export interface SignalProcessorOptions {
  db: Pick<pg.Pool, 'query'>
  /**
   * Test only: holds each job this long after its insert and before it
   * completes, so a test can kill the worker mid-job. @defaultValue 0
   */
  holdAfterInsertMs?: number
}

/** The start of the reason a malformed payload fails with (the jobs route shows it as is). */
export const INVALID_PAYLOAD_REASON = 'invalid signal-ingestion payload'

/** Builds the processor function a BullMQ worker runs. */
export function createSignalProcessor(
  options: SignalProcessorOptions,
): (job: Job<SignalIngestionJob, SignalIngestionResult>) => Promise<SignalIngestionResult> {
  return async function processSignals(job) {
    const payload = signalContract.job.safeParse(job.data)
    // A malformed payload fails the same way on every attempt: do not retry it.
    if (!payload.success) {
      throw new UnrecoverableError(`${INVALID_PAYLOAD_REASON}: ${payload.error.message}`)
    }
    const rows = payload.data.signals.map(toSignalRecord)
    const tenant = signalJobTenant(payload.data)
    const { inserted, refused } = await insertSignalsIsolating(options.db, rows, tenant)
    // BullMQ gives every job an id; the fallback only satisfies the type.
    await recordRejectedSignals(options.db, { id: job.id ?? 'unknown', tenant }, refused)
    if (options.holdAfterInsertMs) await sleep(options.holdAfterInsertMs)
    return {
      received: rows.length,
      inserted,
      ...(refused.length > 0 ? { rejected: refused.length } : {}),
    }
  }
}
