/**
 * @module
 * Readiness of the queue Redis (`REDIS_URL`): BullMQ's keys must never be
 * evicted (`maxmemory-policy noeviction`) and must survive a restart
 * (an append-only file or RDB snapshots), or accepted signals and mock-up jobs
 * can vanish. `QUEUE_REDIS_ALLOW_VOLATILE=true` accepts such a Redis knowingly:
 * the check then passes, saying what is unsafe. A managed Redis that disables
 * `CONFIG` cannot be verified: the check passes and says so.
 */
import type { Redis } from 'ioredis'
import { type HealthCheck, HealthDetail } from '../health.ts'

/** The server settings the check reads (`CONFIG GET`); undefined when not reported. */
export interface QueueRedisSettings {
  maxmemoryPolicy?: string
  appendonly?: string
  save?: string
}

/** What is unsafe about `settings` for a queue Redis; empty when nothing is. */
export function judgeQueueRedis(settings: QueueRedisSettings): string[] {
  const problems: string[] = []
  const policy = settings.maxmemoryPolicy?.trim().toLowerCase()
  if (policy !== 'noeviction') {
    problems.push(
      `maxmemory-policy is ${policy || 'unknown'}, not noeviction: queued jobs may be evicted`,
    )
  }
  const aof = settings.appendonly?.trim().toLowerCase() === 'yes'
  const snapshots = (settings.save ?? '').trim() !== ''
  if (!aof && !snapshots) {
    problems.push('persistence is off (appendonly no, save ""): a restart loses queued jobs')
  }
  return problems
}

/** Whether `err` says the server refuses CONFIG (renamed, disabled, or not permitted). */
export function configRefused(err: unknown): boolean {
  const message = String((err as Error)?.message ?? err)
  return /unknown command|NOPERM|not allowed|disabled/i.test(message)
}

async function configGet(redis: Redis, name: string): Promise<string | undefined> {
  const reply = (await redis.config('GET', name)) as unknown
  // [name, value] pairs; an empty list when the server does not know the setting.
  return Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : undefined
}

/**
 * Reads the settings {@link judgeQueueRedis} needs, or undefined when the
 * server refuses `CONFIG`. Connection errors are thrown.
 */
export async function readQueueRedisSettings(
  redis: Redis,
): Promise<QueueRedisSettings | undefined> {
  try {
    const [maxmemoryPolicy, appendonly, save] = await Promise.all([
      configGet(redis, 'maxmemory-policy'),
      configGet(redis, 'appendonly'),
      configGet(redis, 'save'),
    ])
    return { maxmemoryPolicy, appendonly, save }
  } catch (err) {
    if (configRefused(err)) return undefined
    throw err
  }
}

/** Options of {@link queueRedisCheck}. */
export interface QueueRedisCheckOptions {
  /** `QUEUE_REDIS_ALLOW_VOLATILE`: pass despite the problems, naming them. */
  allowVolatile: boolean
  /** How long a reading is reused: probes come every few seconds, the settings rarely change. @defaultValue 60000 */
  cacheMs?: number
}

/**
 * The `queue-redis` readiness check on `redis` (a fail-fast connection to
 * `REDIS_URL`): fails naming each problem, unless `allowVolatile`.
 */
export function queueRedisCheck(redis: Redis, options: QueueRedisCheckOptions): HealthCheck {
  const cacheMs = options.cacheMs ?? 60_000
  let cached: { at: number; settings: QueueRedisSettings | undefined } | undefined
  return {
    name: 'queue-redis',
    check: async () => {
      // A failed read is not cached: the next probe asks again.
      if (!cached || Date.now() - cached.at >= cacheMs)
        cached = { at: Date.now(), settings: await readQueueRedisSettings(redis) }
      const { settings } = cached
      if (!settings) {
        return new HealthDetail(
          'cannot verify maxmemory-policy and persistence: the server refuses CONFIG (managed Redis?)',
        )
      }
      const problems = judgeQueueRedis(settings)
      if (problems.length === 0) return new HealthDetail('noeviction, persistent')
      if (options.allowVolatile) {
        return new HealthDetail(
          `accepted (QUEUE_REDIS_ALLOW_VOLATILE=true): ${problems.join('; ')}`,
        )
      }
      throw new Error(
        `${problems.join('; ')}. Fix the queue Redis, or set QUEUE_REDIS_ALLOW_VOLATILE=true to accept it`,
      )
    },
  }
}
