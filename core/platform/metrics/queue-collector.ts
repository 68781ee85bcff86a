/**
 * @module
 * `bullmq_queue_length{queue,state}`: each queue's backlog read from Redis at
 * scrape time (the seed's `celery_queue_length`, what KEDA scales on). One
 * pipelined round trip per scrape reads every queue: LLEN of the `wait` and
 * `active` lists, ZCARD of the `prioritized`, `delayed` and `failed` sorted
 * sets (bullmq 6's key layout, `<prefix>:<queue>:<state>`). A `:wait`-only
 * reader would miss prioritized and delayed jobs. `failed` is exported so an
 * alert pages on jobs that ran out of attempts (`npm run queue` re-drives
 * them); the backlog KEDA scales on lists its states and leaves it out.
 *
 * A Redis failure or a reply slower than the deadline counts
 * `bullmq_queue_collector_errors_total` and leaves the gauge empty: a stale
 * backlog would mislead the autoscaler, and a hung scrape would hide every
 * other metric of the process.
 */
import type { Redis } from 'ioredis'
import { Counter, Gauge, type Registry } from 'prom-client'

/** The states reported, and how each is stored. */
export const QUEUE_STATES = [
  { state: 'wait', command: 'llen' },
  { state: 'prioritized', command: 'zcard' },
  { state: 'delayed', command: 'zcard' },
  { state: 'active', command: 'llen' },
  { state: 'failed', command: 'zcard' },
] as const

/** Options of {@link registerRedisQueueCollector}. */
export interface QueueCollectorOptions {
  /**
   * Connection to read with. A fail-fast one (the `cache` role) is best: a
   * queue-role connection would hold commands while Redis is away.
   */
  redis: Redis
  /** The BullMQ key prefix. @defaultValue `'bull'` */
  prefix?: string
  /** Longest a scrape waits for Redis. @defaultValue 1000 */
  timeoutMs?: number
}

/**
 * Registers the queue-length gauge and its error counter on `registry`.
 * Every process with queues exports the same backlog, so the cluster
 * aggregator is `max`, never `sum`.
 *
 * @example
 * registerRedisQueueCollector(metrics.registry, ALL_QUEUES, { redis, prefix: 'bull' })
 */
export function registerRedisQueueCollector(
  registry: Registry,
  queues: readonly string[],
  options: QueueCollectorOptions,
): void {
  const prefix = options.prefix ?? 'bull'
  const timeoutMs = options.timeoutMs ?? 1000
  // Both metrics wait for the same read: prom-client snapshots each metric in
  // parallel, so a counter bumped by the gauge's collect would show one scrape late.
  let reading: Promise<void> | undefined
  const refresh = (): Promise<void> => {
    reading ??= readLengths(options.redis, prefix, queues, timeoutMs)
      .then(
        (counts) => {
          lengths.reset()
          for (const [i, queue] of queues.entries()) {
            for (const [j, { state }] of QUEUE_STATES.entries()) {
              lengths.set({ queue, state }, counts[i * QUEUE_STATES.length + j]!)
            }
          }
        },
        () => {
          lengths.reset()
          errors.inc()
        },
      )
      .finally(() => {
        reading = undefined
      })
    return reading
  }
  const errors = new Counter({
    name: 'bullmq_queue_collector_errors_total',
    help: 'Scrapes whose queue lengths could not be read from Redis (error or timeout)',
    registers: [registry],
    collect: refresh,
  })
  const lengths = new Gauge({
    name: 'bullmq_queue_length',
    help: 'Jobs in each BullMQ queue by state (wait, prioritized, delayed, active, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    aggregator: 'max',
    collect: refresh,
  })
}

/** One pipeline for all queues and states; rejects on any error or after `timeoutMs`. */
async function readLengths(
  redis: Redis,
  prefix: string,
  queues: readonly string[],
  timeoutMs: number,
): Promise<number[]> {
  const pipeline = redis.pipeline()
  for (const queue of queues) {
    for (const { state, command } of QUEUE_STATES) pipeline[command](`${prefix}:${queue}:${state}`)
  }
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    const replies = await Promise.race([pipeline.exec(), deadline])
    if (!replies) throw new Error('pipeline discarded')
    return replies.map(([err, value]) => {
      if (err) throw err
      return Number(value)
    })
  } finally {
    clearTimeout(timer)
  }
}
