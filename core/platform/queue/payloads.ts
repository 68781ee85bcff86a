/**
 * @module
 * Job payloads as zod schemas: producers build them, workers parse them, so a
 * job written by an older or foreign producer is refused instead of half-run.
 * Payloads are JSON in Redis, so times travel as ISO strings.
 */
import { z } from 'zod'
import { PRODUCTS } from '../../../edge/score/products.ts'

/** Most signals one ingestion job (one `POST /signals`) carries. */
export const MAX_SIGNALS_PER_JOB = 1000

/** One validated, normalised signal as it travels in a job. */
export const queuedSignalSchema = z.object({
  /** The client's idempotency id, when it sent one. */
  id: z.string().optional(),
  topic: z.string().min(1).max(100),
  product: z.enum(PRODUCTS).nullable(),
  source: z.string().min(1),
  metric: z.string().min(1),
  value: z.number(),
  /** ISO 8601 time of the observation. */
  observedAt: z.iso.datetime({ offset: true }),
})

/** A signal in a job. */
export type QueuedSignal = z.infer<typeof queuedSignalSchema>

/** The payload of a `signal-ingestion` job: one posted batch. */
export const signalIngestionJobSchema = z.object({
  signals: z.array(queuedSignalSchema).min(1).max(MAX_SIGNALS_PER_JOB),
  /** Name of the API key that posted the batch (never the secret), for logs. */
  postedBy: z.string(),
  /** When core accepted the batch (ISO 8601), to measure queue latency. */
  acceptedAt: z.iso.datetime(),
})

/** A `signal-ingestion` job payload. */
export type SignalIngestionJob = z.infer<typeof signalIngestionJobSchema>

/** What a finished `signal-ingestion` job returns (kept as its `returnvalue`). */
export interface SignalIngestionResult {
  received: number
  /** New rows; fewer than `received` when a retry or re-post met rows already stored. */
  inserted: number
}

/**
 * The payload of a `mockups` job: one design composited on one product. Core
 * resolves every default before queueing, so the job and its `mockups` row
 * (id `mockupId`, also the job id) say exactly what will be generated.
 */
export const mockupJobSchema = z.object({
  mockupId: z.uuid(),
  prompt: z.string().min(1).max(500),
  product: z.enum(PRODUCTS),
  seed: z.number().int().nonnegative(),
  steps: z.number().int().min(1).max(150),
  width: z.number().int().min(64).max(1024),
  height: z.number().int().min(64).max(1024),
})

/** A `mockups` job payload. */
export type MockupJob = z.infer<typeof mockupJobSchema>

/** The payload of a `benchmarks` job: which benchmark to run and how long. */
export const benchmarkJobSchema = z.object({
  benchmark: z.enum(['score']),
  runs: z.number().int().min(1).max(100_000),
})

/** A `benchmarks` job payload. */
export type BenchmarkJob = z.infer<typeof benchmarkJobSchema>
