/**
 * @module
 * Builds the edge app from a plain environment record, for every runtime that
 * is not Node: the entry files differ only in where the record comes from and
 * how the app is served.
 */
import type { Hono } from 'hono'
import { memoryCache, neonSql, upstashCache } from '../adapters/index.ts'
import { createEdgeApp } from '../app.ts'
import type { KeyValueCache } from '../cache/types.ts'
import { type EdgeConfig, loadEdgeConfig } from '../config/index.ts'
import { scoreGetEtag } from '../gateway/index.ts'
import { createConsoleLogger } from '../log/index.ts'
import type { ObserveDuration } from '../profiling/index.ts'
import {
  memoryRateLimitStore,
  rateLimitSettings,
  upstashRateLimitStore,
} from '../rate-limit/index.ts'
import { createScoreService, scoreSettings } from '../score/index.ts'

/** Options of {@link buildEdgeApp}. */
export interface BuildEdgeAppOptions {
  /** Runtime name on every log line, e.g. `'deno'`, `'workerd'`. */
  runtime: string
  /** Where log lines go. @defaultValue `console.log` */
  write?: (line: string) => void
}

// No prom-client on the edge runtimes: the CDN's own analytics count requests
// and latencies there; the profiling log line still carries each duration.
const observeNothing: ObserveDuration = () => {}

/**
 * Validates `env` (throws naming each bad variable) and builds the app.
 *
 * @example
 * const app = buildEdgeApp(Deno.env.toObject(), { runtime: 'deno' })
 */
export function buildEdgeApp(
  env: Readonly<Record<string, unknown>>,
  options: BuildEdgeAppOptions,
): Hono {
  const config = loadEdgeConfig(env)
  const logger = createConsoleLogger({
    level: config.LOG_LEVEL,
    bindings: { service: 'edge', runtime: options.runtime },
    write: options.write,
  })
  // The schema makes NEON_DATABASE_URL required (EDGE_DB=neon is the only choice).
  const db = neonSql({
    connectionString: config.NEON_DATABASE_URL!,
    fetchEndpoint: config.NEON_FETCH_ENDPOINT,
  })
  const score = createScoreService({
    db,
    cache: cacheOf(config),
    ...scoreSettings(config),
    onError: (err, where) => logger.warn({ err, where }, 'score dependency failed'),
    // The validator cache: conditional score.get calls are answered from this tag.
    etagOf: scoreGetEtag,
  })
  return createEdgeApp({
    logger,
    observe: observeNothing,
    score,
    db,
    // The schema makes CORE_URL and EDGE_SERVICE_KEY required here.
    coreUrl: config.CORE_URL!,
    serviceKey: config.EDGE_SERVICE_KEY!,
    apiKeys: config.API_KEYS,
    trustProxy: config.TRUST_PROXY,
    rateLimit: rateLimitSettings({
      perMinute: config.RATE_LIMIT_PER_MINUTE,
      processes: config.RATE_LIMIT_PROCESSES,
      store: () => rateLimitStoreOf(config),
    }),
    corsOrigins: config.CORS_ORIGINS,
  })
}

function rateLimitStoreOf(config: EdgeConfig) {
  // Isolate-local counts with the memory cache: a limit per isolate, not global.
  if (config.EDGE_CACHE === 'memory') return memoryRateLimitStore()
  return upstashRateLimitStore({
    url: config.UPSTASH_REDIS_REST_URL!,
    token: config.UPSTASH_REDIS_REST_TOKEN!,
    keyPrefix: config.SCORE_CACHE_PREFIX,
  })
}

function cacheOf(config: EdgeConfig): KeyValueCache {
  // Isolate-local: no other reader to keep apart, so SCORE_CACHE_PREFIX is moot.
  if (config.EDGE_CACHE === 'memory') return memoryCache()
  // Required by the schema when EDGE_CACHE is upstash.
  return upstashCache({
    url: config.UPSTASH_REDIS_REST_URL!,
    token: config.UPSTASH_REDIS_REST_TOKEN!,
    keyPrefix: config.SCORE_CACHE_PREFIX,
  })
}
