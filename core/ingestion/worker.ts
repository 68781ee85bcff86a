/**
 * @module
 * The ingestion worker: a BullMQ worker on `signal-ingestion` writing batches
 * to PostgreSQL. Used by `worker-main.ts` and, in process, by tests and the
 * ingestion benchmark.
 */
import type pg from 'pg'
import type { Registry } from 'prom-client'
import type { Logger } from '../platform/logger.ts'
import {
  createWorker,
  QUEUE_NAMES,
  type QueueSettings,
  type SignalIngestionJob,
  type SignalIngestionResult,
  type StartedWorker,
} from '../platform/queue/index.ts'
import { createSignalProcessor } from './processor.ts'

/** Options of {@link startIngestionWorker}. */
export interface IngestionWorkerOptions {
  redisUrl: string
  db: Pick<pg.Pool, 'query'>
  settings: QueueSettings
  /** Jobs (batches) written at once. @defaultValue 4 */
  concurrency?: number
  logger: Logger
  /** The service's registry, for `job_duration_seconds`. */
  registry?: Registry
  /** Test only; see {@link createSignalProcessor}. @defaultValue 0 */
  holdAfterInsertMs?: number
}

/** Starts consuming `signal-ingestion`. */
export function startIngestionWorker(
  options: IngestionWorkerOptions,
): StartedWorker<SignalIngestionJob, SignalIngestionResult> {
  return createWorker(
    QUEUE_NAMES.signalIngestion,
    createSignalProcessor({
      db: options.db,
      holdAfterInsertMs: options.holdAfterInsertMs ?? 0,
    }),
    {
      redisUrl: options.redisUrl,
      settings: options.settings,
      concurrency: options.concurrency ?? 4,
      name: 'ingest-worker',
      logger: options.logger,
      registry: options.registry,
    },
  )
}
