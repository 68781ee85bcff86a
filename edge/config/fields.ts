/**
 * @module
 * Field builders and the settings the edge app reads on every runtime, in one
 * place: the portable edge schema and the Node schema (core/platform/config)
 * both spread {@link edgeAppFields}, so a default or a limit cannot differ
 * between `npm run edge` and the edge runtimes.
 */
import { z } from 'zod'
import { parseApiKeys } from '../auth/keys.ts'
import { parseCorsOrigins } from '../cors/index.ts'
import { parseTrustProxy } from '../identity/trust-proxy.ts'

/** A whole number within [min, max], coerced from the environment's string. */
export const wholeNumber = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error })
}

/** A URL with one of `protocols`. */
export const url = (protocols: string[]) =>
  z.url({
    protocol: new RegExp(`^(${protocols.join('|')})$`),
    error: `expected a ${protocols.map((p) => `${p}://`).join(' or ')} URL`,
  })

/** Core's HTTP API: a default on Node (`npm run edge` beside core), required elsewhere. */
export const coreUrl = url(['http', 'https'])

/** An optional string turned into a value by `parse`, whose thrown message becomes the issue. */
const parsedWith = <T>(parse: (value: string | undefined) => T) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parse(value)
      } catch (err) {
        // The parsers name entries by position and never echo a secret.
        ctx.addIssue({ code: 'custom', message: (err as Error).message })
        return z.NEVER
      }
    })

/**
 * The checks that span the edge app's settings, for both schemas'
 * `superRefine`: a soft TTL at or past the hard one would never be served stale.
 */
export function checkEdgeAppFields(
  config: { SCORE_CACHE_TTL_SECONDS: number; SCORE_CACHE_SOFT_TTL_SECONDS?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  const soft = config.SCORE_CACHE_SOFT_TTL_SECONDS
  if (soft !== undefined && soft >= config.SCORE_CACHE_TTL_SECONDS) {
    ctx.addIssue({
      code: 'custom',
      path: ['SCORE_CACHE_SOFT_TTL_SECONDS'],
      message: `must be below SCORE_CACHE_TTL_SECONDS (${config.SCORE_CACHE_TTL_SECONDS})`,
    })
  }
}

/** The settings the edge app reads on every runtime. */
export const edgeAppFields = {
  /** Hard TTL: Redis expiry of a score; an older score is a miss. */
  SCORE_CACHE_TTL_SECONDS: wholeNumber(1, 86_400).default(300),
  /**
   * Soft TTL: an older score is served at once (`X-Cache: STALE`) and
   * refreshed in the background. Below the hard TTL; unset: a fifth of it.
   */
  SCORE_CACHE_SOFT_TTL_SECONDS: wholeNumber(1, 86_400).optional(),
  /** `/score`'s `Cache-Control: max-age` (browsers); unset: half the soft TTL. */
  SCORE_CLIENT_MAX_AGE: wholeNumber(0, 31_536_000).optional(),
  /** `s-maxage` (the CDN); unset: the soft TTL. */
  SCORE_SHARED_MAX_AGE: wholeNumber(0, 31_536_000).optional(),
  /** `stale-while-revalidate`; unset: hard minus soft TTL. */
  SCORE_STALE_WHILE_REVALIDATE: wholeNumber(0, 31_536_000).optional(),
  /** `stale-if-error`; unset: the hard TTL. */
  SCORE_STALE_IF_ERROR: wholeNumber(0, 31_536_000).optional(),
  /** In-process L1 lifetime; 0 turns the L1 off. */
  SCORE_L1_TTL_MS: wholeNumber(0, 3_600_000).default(2000),
  SCORE_L1_MAX_ENTRIES: wholeNumber(1, 1_000_000).default(10_000),
  /** Deadline of one cache call; past it /score answers from the database (`X-Cache: BYPASS`). */
  SCORE_CACHE_TIMEOUT_MS: wholeNumber(1, 60_000).default(250),
  /**
   * Prepended to every cache key. Upstash's REST API has no per-connection
   * key prefix, so this is how deployments (and test files) share one Redis.
   */
  SCORE_CACHE_PREFIX: z.string().max(100, { error: 'expected at most 100 characters' }).default(''),
  UPSTASH_REDIS_REST_URL: url(['http', 'https']).optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
  NEON_DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  /**
   * Local and test use only: where `neon()` posts its SQL (the local Neon
   * bridge's `/sql`) instead of Neon's own endpoint for the host.
   */
  NEON_FETCH_ENDPOINT: url(['http', 'https']).optional(),
  /** Core's HTTP API, which the tRPC gateway calls (required on Workers and Deno: edge/config/schema.ts). */
  CORE_URL: coreUrl.default('http://127.0.0.1:3000'),
  /**
   * The edge's credential at core: the edge presents it (with the caller's
   * key name and address) and core, holding the same value, believes that
   * identity. Unset on core: no edge can vouch for a caller.
   */
  EDGE_SERVICE_KEY: z.string().min(16, { error: 'expected at least 16 characters' }).optional(),
  /**
   * Proxies whose `X-Forwarded-For`/`Forwarded` are believed: unset trusts
   * nothing (the peer is the client); N trusts the N hops nearest the
   * server; or a comma-separated list of addresses and CIDRs of proxies.
   */
  TRUST_PROXY: parsedWith(parseTrustProxy),
  /** `name:secret,...`; with none, mutations and private procedures are refused. */
  API_KEYS: parsedWith(parseApiKeys),
  /** Requests per minute per API key name (or client address when anonymous); 0 turns limits off. */
  RATE_LIMIT_PER_MINUTE: wholeNumber(0, 1_000_000).default(600),
  /**
   * Processes (or isolates) sharing one limit: while the limiter's Redis is
   * away each counts in memory and allows RATE_LIMIT_PER_MINUTE / this.
   * Unset: 1 on the edge, CORE_WORKERS on core.
   */
  RATE_LIMIT_PROCESSES: wholeNumber(1, 100_000).optional(),
  /** Origins the console may call from (comma-separated); unset: same-origin only. */
  CORS_ORIGINS: parsedWith(parseCorsOrigins),
}
