/**
 * @module
 * Adding jobs from an HTTP handler without ever hanging it: an add is refused
 * at once while the connection is not ready, and bounded by a deadline
 * otherwise. A request is only acknowledged once BullMQ confirmed the job.
 * The connection is a queue-role one (it keeps commands through a reconnect),
 * so an add that timed out may still land later: that is safe because every
 * consumer is idempotent, and a client that saw 503 and posts again adds
 * nothing twice.
 */
import { type Job, type JobsOptions, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import type { QueueSettings } from './settings.ts'

/** Thrown when Redis cannot take or answer for a job now; callers answer 503. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError'
}

/** Options of {@link QueueProducer}. */
export interface QueueProducerOptions {
  /** A queue-role connection (`createRedis(url, { role: 'queue' })`); shared, so not closed here. */
  connection: Redis
  settings: QueueSettings
}

/** One queue's producer side: bounded `add` and `getJob`. */
export class QueueProducer<Data, Result> {
  /**
   * The BullMQ queue (for counts and cleanup); prefer {@link add} to add jobs.
   * Untyped: BullMQ's conditional payload types do not resolve for a generic
   * `Data`, so {@link add} and {@link getJob} carry the types instead.
   */
  readonly queue: Queue
  private readonly connection: Redis
  private readonly timeoutMs: number

  constructor(name: string, options: QueueProducerOptions) {
    this.connection = options.connection
    this.timeoutMs = options.settings.addTimeoutMs
    this.queue = new Queue(name, {
      connection: options.connection,
      prefix: options.settings.prefix,
      defaultJobOptions: options.settings.defaultJobOptions,
    })
    // Errors surface through add(); without a listener they would be unhandled.
    this.queue.on('error', () => {})
  }

  /** Adds a job; resolves once Redis stored it. @throws {QueueUnavailableError} */
  add(jobName: string, data: Data, opts?: JobsOptions): Promise<Job<Data, Result>> {
    return this.bounded(
      'add a job',
      async () => (await this.queue.add(jobName, data, opts)) as Job<Data, Result>,
    )
  }

  /** The job with `id`, or undefined. @throws {QueueUnavailableError} */
  getJob(id: string): Promise<Job<Data, Result> | undefined> {
    return this.bounded(
      'read a job',
      async () => (await this.queue.getJob(id)) as Job<Data, Result> | undefined,
    )
  }

  /** The job's state (`'unknown'` when there is none). @throws {QueueUnavailableError} */
  getJobState(id: string): Promise<string> {
    return this.bounded('read a job state', () => this.queue.getJobState(id))
  }

  /** Closes the BullMQ queue; the shared connection stays open for its owner to close. */
  close(): Promise<void> {
    return this.queue.close()
  }

  private async bounded<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (this.connection.status !== 'ready') {
      throw new QueueUnavailableError(`cannot ${what}: Redis is ${this.connection.status}`)
    }
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new QueueUnavailableError(`cannot ${what}: no answer in ${this.timeoutMs} ms`)),
        this.timeoutMs,
      )
    })
    try {
      return await Promise.race([run(), deadline])
    } catch (err) {
      if (err instanceof QueueUnavailableError) throw err
      throw new QueueUnavailableError(`cannot ${what}: ${(err as Error).message}`, { cause: err })
    } finally {
      clearTimeout(timer)
    }
  }
}
