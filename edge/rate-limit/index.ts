/** @module Per-key (or per-address) rate limits in a shared store, degrading to memory. */
export {
  type CountedHit,
  type FallbackCounterOptions,
  type FallbackLogger,
  fallbackCounter,
  fallbackShare,
} from './fallback.ts'
export { type MemoryRateLimitStoreOptions, memoryRateLimitStore } from './memory-store.ts'
export {
  mountRateLimit,
  type RateLimitContext,
  type RateLimitSettings,
  type RateLimitSettingsInput,
  rateLimitSettings,
} from './mount.ts'
export {
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  type RateLimitOptions,
  rateLimit,
  rateLimitPrefix,
} from './rate-limit.ts'
export {
  FIXED_WINDOW_LUA,
  type RateLimitObserver,
  type RateLimitStore,
  type WindowCount,
  windowCountOf,
} from './types.ts'
export { type UpstashRateLimitStoreOptions, upstashRateLimitStore } from './upstash-store.ts'
