/** @module Signal ingestion: validation, the POST /signals routes and the BullMQ worker. */

export { createSignalProcessor, type SignalProcessorOptions } from './processor.ts'
export { createSignalQueue } from './queue.ts'
export { type SignalQueue, type SignalRoutesOptions, signalRoutes } from './routes.ts'
export { validateSignalBatch } from './validate.ts'
export { type IngestionWorkerOptions, startIngestionWorker } from './worker.ts'
