/**
 * @module
 * The rate limit a Node service (core, the edge host) runs with, from its
 * configuration: counted in the cache Redis (`CACHE_REDIS_URL`, else `REDIS_URL`) so every process shares one
 * count per key, in process memory when there is no Redis, and off when
 * `RATE_LIMIT_PER_MINUTE` is 0. The settings come from the portable
 * {@link rateLimitSettings}, which the workerd/Deno entry calls with its own store.
 */
import type { Redis } from 'ioredis'
import {
  memoryRateLimitStore,
  type RateLimitSettings,
  rateLimitSettings,
} from '../../edge/rate-limit/index.ts'
import type { Config } from '../platform/config/index.ts'
import type { Logger } from '../platform/logger.ts'
import { closeRedis, createRedis } from '../platform/redis/index.ts'
import { ioredisRateLimitStore } from './index.ts'

/** The limiter's settings (undefined: off) and how to close its connection. */
export interface ConfiguredRateLimit {
  options: RateLimitSettings | undefined
  close: () => Promise<void>
}

/** Options of {@link rateLimitFromConfig}. */
export interface RateLimitFromConfigOptions {
  /**
   * A `cache`-role connection the service already holds (it must fail fast,
   * so the limiter fails open). @defaultValue one of its own, on
   * `CACHE_REDIS_URL` (a Redis that may evict; `REDIS_URL` when unset)
   */
  redis?: Redis
}

/** Builds the limiter `config` asks for; `name` labels its Redis connection. */
export function rateLimitFromConfig(
  config: Pick<Config, 'RATE_LIMIT_PER_MINUTE' | 'REDIS_URL'> &
    Partial<Pick<Config, 'CACHE_REDIS_URL'>>,
  name: string,
  logger: Logger,
  options: RateLimitFromConfigOptions = {},
): ConfiguredRateLimit {
  let close = async () => {}
  const settings = rateLimitSettings({
    perMinute: config.RATE_LIMIT_PER_MINUTE,
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
