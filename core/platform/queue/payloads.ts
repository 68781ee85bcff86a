/**
 * @module
 * Job payloads as zod schemas: producers build them, workers parse them, so a
 * job written by an older or foreign producer is refused instead of half-run.
 * Payloads are JSON in Redis, so times travel as ISO strings. Signal and
 * mock-up payloads are their contracts' (`edge/contracts/`), named here for
 * the queue's producers and consumers.
 */
import { z } from 'zod'
import { mockupContract } from '../../../edge/contracts/mockups.ts'
import { signalContract } from '../../../edge/contracts/signals.ts'

export type { MockupJob } from '../../../edge/contracts/mockups.ts'
export type {
  QueuedSignal,
  SignalIngestionJob,
  SignalIngestionResult,
} from '../../../edge/contracts/signals.ts'

/** Most signals one ingestion job (one `POST /signals`) carries. */
export const MAX_SIGNALS_PER_JOB = signalContract.limits.maxPerBatch

/** One validated, normalised signal as it travels in a job. */
export const queuedSignalSchema = signalContract.queued

/** The payload of a `signal-ingestion` job: one posted batch. */
export const signalIngestionJobSchema = signalContract.job

/** The payload of a `mockups` job: one design composited on one product, defaults resolved. */
export const mockupJobSchema = mockupContract.job

/** The payload of a `benchmarks` job: which benchmark to run and how long. */
export const benchmarkJobSchema = z.object({
  benchmark: z.enum(['score']),
  runs: z.number().int().min(1).max(100_000),
})

/** A `benchmarks` job payload. */
export type BenchmarkJob = z.infer<typeof benchmarkJobSchema>
