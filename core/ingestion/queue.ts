/** @module The `signal-ingestion` producer core uses. */
import type { Redis } from 'ioredis'
import { QUEUE_NAMES, QueueProducer, type QueueSettings } from '../platform/queue/index.ts'
import type { SignalQueue } from './routes.ts'

/** A producer of `signal-ingestion` jobs on a queue-role connection. */
export function createSignalQueue(connection: Redis, settings: QueueSettings): SignalQueue {
  return new QueueProducer(QUEUE_NAMES.signalIngestion, { connection, settings })
}
