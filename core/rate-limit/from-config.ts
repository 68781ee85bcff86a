/**
 * @module
 * The rate limit a Node service runs with, from its configuration: counted in
 * Redis (`REDIS_URL`, on a fail-fast cache connection of its own) so every
 * process shares one count per key, in process memory when there is no Redis,
 * and off when `RATE_LIMIT_PER_MINUTE` is 0.
 */
import type { RateLimitOptions } from '../../edge/rate-limit/index.ts'
import { memoryRateLimitStore } from '../../edge/rate-limit/index.ts'
import type { Config } from '../platform/config/index.ts'
import type { Logger } from '../platform/logger.ts'
import { closeRedis, createRedis } from '../platform/redis/index.ts'
import { ioredisRateLimitStore } from './index.ts'

/** The limiter's options (undefined: off) and how to close its connection. */
export interface ConfiguredRateLimit {
  options: Omit<RateLimitOptions, 'keys' | 'logger'> | undefined
  close: () => Promise<void>
}

/** Builds the limiter `config` asks for; `name` labels its Redis connection. */
export function rateLimitFromConfig(
  config: Pick<Config, 'RATE_LIMIT_PER_MINUTE' | 'REDIS_URL'>,
  name: string,
  logger: Logger,
): ConfiguredRateLimit {
  if (config.RATE_LIMIT_PER_MINUTE === 0) return { options: undefined, close: async () => {} }
  const limit = config.RATE_LIMIT_PER_MINUTE
  if (!config.REDIS_URL) {
    logger.warn('REDIS_URL is unset: rate limits are counted per process')
    return { options: { store: memoryRateLimitStore(), limit }, close: async () => {} }
  }
  const redis = createRedis(config.REDIS_URL, { role: 'cache', name: `${name}-rate-limit`, logger })
  return {
    options: { store: ioredisRateLimitStore(redis), limit },
    close: () => closeRedis(redis),
  }
}
