/**
 * @module
 * The environment record that points the portable edge app (any runtime) at
 * the local bridges: Upstash REST for Redis, Neon's SQL-over-HTTP for
 * PostgreSQL. Shared by the edge runtime tests and benchmark.
 */
import { randomBytes } from 'node:crypto'
import type { NeonBridge, UpstashBridge } from '../dev/bridges/index.ts'

/** Options of {@link bridgedEdgeEnv}. */
export interface BridgedEdgeEnvOptions {
  upstash: Pick<UpstashBridge, 'url'>
  /** The bearer token the Upstash bridge was started with. */
  token: string
  neon: Pick<NeonBridge, 'fetchEndpoint'>
  /** `postgres://` URL of the database (the Neon bridge must allow its host). */
  databaseUrl: string
  /** Schema to put on the `search_path`, carried in the connection string's `options`. */
  schema?: string
  /** Further variables (`SCORE_CACHE_PREFIX`, `SCORE_CACHE_TTL_SECONDS`, `LOG_LEVEL`...). */
  extra?: Record<string, string>
}

/** Builds the record (`EDGE_CACHE=upstash`, `EDGE_DB=neon`). */
export function bridgedEdgeEnv(options: BridgedEdgeEnvOptions): Record<string, string> {
  const database = new URL(options.databaseUrl)
  // The Neon bridge hands the connection string to `pg`, which reads `options`
  // as startup parameters, as Neon's own endpoint does.
  if (options.schema) database.searchParams.set('options', `-c search_path=${options.schema}`)
  return {
    EDGE_CACHE: 'upstash',
    EDGE_DB: 'neon',
    UPSTASH_REDIS_REST_URL: options.upstash.url,
    UPSTASH_REDIS_REST_TOKEN: options.token,
    NEON_DATABASE_URL: database.href,
    NEON_FETCH_ENDPOINT: options.neon.fetchEndpoint,
    ...options.extra,
  }
}

/**
 * `CORE_URL` and `EDGE_SERVICE_KEY`, which the portable edge requires, for a
 * run that starts no core: Node's default core address and a fresh key no
 * core believes. Kept out of {@link bridgedEdgeEnv} so that a stack with a
 * real core never has its own pair overridden by these.
 */
export function detachedCoreEnv(): Record<'CORE_URL' | 'EDGE_SERVICE_KEY', string> {
  return {
    CORE_URL: 'http://127.0.0.1:3000',
    EDGE_SERVICE_KEY: randomBytes(24).toString('base64url'),
  }
}
