/**
 * @module
 * The rate limit a Node service (core, the edge host) runs with, from its
 * configuration: counted in the cache Redis (`CACHE_REDIS_URL`, else
 * `REDIS_URL`) so every process shares one count per key, in process memory
 * when there is no Redis, and off when `RATE_LIMIT_PER_MINUTE` is 0. While
 * that Redis fails, each process counts in memory against its share
 * (`RATE_LIMIT_PROCESSES`), reported on the registry's fallback metrics. The
 * settings come from the portable {@link rateLimitSettings}, which the
 * workerd/Deno entry calls with its own store.
 */
import type { Redis } from 'ioredis'
import type { Registry } from 'prom-client'
import {
  memoryRateLimitStore,
  type RateLimitSettings,
  rateLimitSettings,
} from '../../edge/rate-limit/index.ts'
import type { Config } from '../platform/config/index.ts'
import type { Logger } from '../platform/logger.ts'
import { closeRedis, createRedis } from '../platform/redis/index.ts'
import { ioredisRateLimitStore } from './index.ts'
import { rateLimitObserver } from './metrics.ts'

/** The limiter's settings (undefined: off) and how to close its connection. */
export interface ConfiguredRateLimit {
  options: RateLimitSettings | undefined
  close: () => Promise<void>
}

/** Options of {@link rateLimitFromConfig}. */
export interface RateLimitFromConfigOptions {
  /**
   * A `cache`-role connection the service already holds (it must fail fast,
   * so the limiter falls back at once). @defaultValue one of its own, on
   * `CACHE_REDIS_URL` (a Redis that may evict; `REDIS_URL` when unset)
   */
  redis?: Redis
  /** Where the fallback metrics go. @defaultValue none */
  registry?: Registry
  /** Processes sharing the limit when `RATE_LIMIT_PROCESSES` is unset. @defaultValue 1 */
  processes?: number
}

/** Builds the limiter `config` asks for; `name` is the service (its Redis connection, its metrics label). */
export function rateLimitFromConfig(
  config: Pick<Config, 'RATE_LIMIT_PER_MINUTE' | 'REDIS_URL'> &
    Partial<Pick<Config, 'CACHE_REDIS_URL' | 'RATE_LIMIT_PROCESSES'>>,
  name: string,
  logger: Logger,
  options: RateLimitFromConfigOptions = {},
): ConfiguredRateLimit {
  let close = async () => {}
  const settings = rateLimitSettings({
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    processes: config.RATE_LIMIT_PROCESSES ?? options.processes ?? 1,
    ...(options.registry ? { observer: rateLimitObserver(options.registry, name) } : {}),
    store: () => {
      if (options.redis) return ioredisRateLimitStore(options.redis)
      const url = config.CACHE_REDIS_URL ?? config.REDIS_URL
      if (!url) {
        logger.warn('CACHE_REDIS_URL and REDIS_URL are unset: rate limits are counted per process')
        return memoryRateLimitStore()
      }
      const redis = createRedis(url, {
        role: 'cache',
        name: `${name}-rate-limit`,
        logger,
      })
      close = () => closeRedis(redis)
      return ioredisRateLimitStore(redis)
    },
  })
  return { options: settings, close: () => close() }
}
