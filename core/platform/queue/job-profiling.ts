/**
 * @module
 * Profiling of queue jobs, as `addProfiling` does for requests: every job
 * attempt a worker finishes writes one line at info and, given a registry,
 * one `job_duration_seconds{queue,name,status}` observation. `createWorker`
 * installs it, so every queue consumer is profiled without code of its own.
 */
import type { Job, Worker } from 'bullmq'
import type { Registry } from 'prom-client'
import type { ProfilingLogger } from '../../../edge/profiling/index.ts'
import { jobDurationHistogram } from '../metrics/job-histogram.ts'

/** How an attempt ended; a failed attempt may still be retried. */
export type JobStatus = 'completed' | 'failed'

/** The fields of one job's log line (`msg: "job"`, beside the service bindings). */
export interface JobLogEntry {
  queue: string
  name: string
  jobId: string | undefined
  status: JobStatus
  durationMs: number
  /** Attempts made so far, this one included (BullMQ's `attemptsMade`): 1 on the first. */
  attempt: number
}

/** Options of {@link profileJobs}. */
export interface JobProfilingOptions {
  logger: ProfilingLogger
  /** Where `job_duration_seconds` goes; without one, jobs are only logged. */
  registry?: Registry
}

/** Logs and measures every attempt `worker` finishes. */
export function profileJobs<Data, Result>(
  worker: Worker<Data, Result>,
  options: JobProfilingOptions,
): void {
  const histogram = options.registry && jobDurationHistogram(options.registry)
  const record = (job: Job<Data, Result>, status: JobStatus): void => {
    // processedOn is stamped (Date.now) by this worker when it took the job, so
    // this is the attempt's time in the worker, the round trip that finished it included.
    const end = Date.now()
    const ms = Math.max(0, end - (job.processedOn ?? end))
    histogram?.observe({ queue: worker.name, name: job.name, status }, ms / 1000)
    const entry: JobLogEntry = {
      queue: worker.name,
      name: job.name,
      jobId: job.id,
      status,
      durationMs: ms,
      attempt: job.attemptsMade,
    }
    options.logger.info(entry, 'job')
  }
  worker.on('completed', (job) => record(job, 'completed'))
  // BullMQ types the job as optional here; without one there is nothing to time.
  worker.on('failed', (job) => {
    if (job) record(job, 'failed')
  })
}
