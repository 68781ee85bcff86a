/**
 * @module
 * The environment of the edge app where it does not run on Node (Deno, workerd):
 * one zod schema, portable (no `process`, no `node:`). The Node host reads the
 * core schema instead (`core/platform/config`).
 */
import { z } from 'zod'
import { parseApiKeys } from '../auth/keys.ts'
import { parseCorsOrigins } from '../cors/index.ts'

const wholeNumber = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error })
}
const url = (protocols: string[]) =>
  z.url({
    protocol: new RegExp(`^(${protocols.join('|')})$`),
    error: `expected a ${protocols.map((p) => `${p}://`).join(' or ')} URL`,
  })

/** Log levels, as pino names them; `silent` writes nothing. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const

/** The validated edge environment. */
export const edgeConfigSchema = z
  .object({
    /** Redis expiry of a score. */
    SCORE_CACHE_TTL_SECONDS: wholeNumber(1, 86_400).default(300),
    /** In-process L1 lifetime; 0 turns the L1 off. */
    SCORE_L1_TTL_MS: wholeNumber(0, 3_600_000).default(2000),
    SCORE_L1_MAX_ENTRIES: wholeNumber(1, 1_000_000).default(10_000),
    /**
     * Prepended to every cache key. Upstash's REST API has no per-connection
     * key prefix, so this is how deployments (and test files) share one Redis.
     */
    SCORE_CACHE_PREFIX: z
      .string()
      .max(100, { error: 'expected at most 100 characters' })
      .default(''),
    // ioredis and pg are Node clients: only `npm run edge` (core/edge-host) offers them.
    EDGE_CACHE: z
      .enum(['upstash', 'memory'], {
        error: 'expected upstash or memory (ioredis runs only on Node: npm run edge)',
      })
      .default('upstash'),
    EDGE_DB: z
      .enum(['neon'], { error: 'expected neon (pg runs only on Node: npm run edge)' })
      .default('neon'),
    UPSTASH_REDIS_REST_URL: url(['http', 'https']).optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
    NEON_DATABASE_URL: url(['postgres', 'postgresql']).optional(),
    /**
     * Local and test use only: where `neon()` posts its SQL (the local Neon
     * bridge's `/sql`) instead of Neon's own endpoint for the host.
     */
    NEON_FETCH_ENDPOINT: url(['http', 'https']).optional(),
    LOG_LEVEL: z
      .enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })
      .default('info'),
    /** Core's HTTP API, which the tRPC gateway calls. */
    CORE_URL: url(['http', 'https']).default('http://127.0.0.1:3000'),
    /** `name:secret,...`: keys of the gateway's private procedures and mutations; none refuses them. */
    API_KEYS: z
      .string()
      .optional()
      .transform((value, ctx) => {
        try {
          return parseApiKeys(value)
        } catch (err) {
          // parseApiKeys names the entry by position and never echoes a secret.
          ctx.addIssue({ code: 'custom', message: (err as Error).message })
          return z.NEVER
        }
      }),
    // Requests per minute per API key name (or client address when anonymous); 0 turns limits off.
    RATE_LIMIT_PER_MINUTE: wholeNumber(0, 1_000_000).default(600),
    // Origins the console may call from (comma-separated); unset: same-origin only.
    CORS_ORIGINS: z
      .string()
      .optional()
      .transform((value, ctx) => {
        try {
          return parseCorsOrigins(value)
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message })
          return z.NEVER
        }
      }),
  })
  .superRefine((config, ctx) => {
    const require = (name: keyof typeof config, because: string) => {
      if (config[name] === undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: `required ${because}` })
      }
    }
    if (config.EDGE_CACHE === 'upstash') {
      require('UPSTASH_REDIS_REST_URL', 'when EDGE_CACHE is upstash')
      require('UPSTASH_REDIS_REST_TOKEN', 'when EDGE_CACHE is upstash')
    }
    require('NEON_DATABASE_URL', 'when EDGE_DB is neon')
  })

/** The edge configuration. */
export type EdgeConfig = z.infer<typeof edgeConfigSchema>

/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number]
