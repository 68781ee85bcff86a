/**
 * @module
 * The `signal-ingestion` job: parse the payload, write the batch with one
 * idempotent insert. A retried job (a lost lock, a failed attempt, a worker
 * killed after its insert) writes nothing twice, because every row carries its
 * dedupe key and the insert skips keys already stored.
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
import { insertSignals } from '../signals/index.ts'

/** Options of {@link createSignalProcessor}. */
export interface SignalProcessorOptions {
  db: Pick<pg.Pool, 'query'>
  /**
   * Test only: holds each job this long after its insert and before it
   * completes, so a test can kill the worker mid-job. @defaultValue 0
   */
  holdAfterInsertMs?: number
}

/** Builds the processor function a BullMQ worker runs. */
export function createSignalProcessor(
  options: SignalProcessorOptions,
): (job: Job<SignalIngestionJob, SignalIngestionResult>) => Promise<SignalIngestionResult> {
  return async function processSignals(job) {
    const payload = signalContract.job.safeParse(job.data)
    // A malformed payload fails the same way on every attempt: do not retry it.
    if (!payload.success) {
      throw new UnrecoverableError(`invalid signal-ingestion payload: ${payload.error.message}`)
    }
    const rows = payload.data.signals.map(toSignalRecord)
    const inserted = await insertSignals(options.db, rows)
    if (options.holdAfterInsertMs) await sleep(options.holdAfterInsertMs)
    return { received: rows.length, inserted }
  }
}
