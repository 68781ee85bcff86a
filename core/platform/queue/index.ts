/** @module BullMQ plumbing: queue names, job payloads, settings, fail-fast producers, workers. */

export { cronProblem } from './cron.ts'
export {
  type JobLogEntry,
  type JobProfilingOptions,
  type JobStatus,
  profileJobs,
} from './job-profiling.ts'
export { ALL_QUEUES, QUEUE_NAMES, type QueueName } from './names.ts'
export {
  type BenchmarkJob,
  benchmarkJobSchema,
  MAX_SIGNALS_PER_JOB,
  type MockupJob,
  mockupJobSchema,
  type QueuedSignal,
  queuedSignalSchema,
  type SignalIngestionJob,
  type SignalIngestionResult,
  signalIngestionJobSchema,
} from './payloads.ts'
export {
  QueueProducer,
  type QueueProducerOptions,
  QueueUnavailableError,
} from './producer.ts'
export {
  type QueueSettings,
  type QueueSettingsOptions,
  queueSettings,
  queueSettingsFromConfig,
  RETENTION,
} from './settings.ts'
export { type CreateWorkerOptions, createWorker, type StartedWorker } from './worker.ts'
