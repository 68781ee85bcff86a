/** @module The BullMQ queues of the platform (DESIGN.md "Queues"); one list every process shares. */

/** Queue names, by role. */
export const QUEUE_NAMES = {
  /** Batches of trend signals posted to core, written to PostgreSQL by `worker:ingest`. */
  signalIngestion: 'signal-ingestion',
  /** Mock-up generation jobs for the GPU worker. */
  mockups: 'mockups',
  /** Scheduled benchmark runs (`benchmark_score_job`). */
  benchmarks: 'benchmarks',
} as const

/** A queue name. */
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES]

/** Every queue, for collectors that report them all. */
export const ALL_QUEUES: readonly QueueName[] = Object.values(QUEUE_NAMES)
