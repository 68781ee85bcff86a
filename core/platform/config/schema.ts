/**
 * @module
 * The environment every Node process reads (DESIGN.md "Configuration"), as one
 * zod schema. Each service picks the part it needs; defaults live here only.
 */
import { cpus } from 'node:os'
import { z } from 'zod'
import { parseApiKeys } from '../../../edge/auth/index.ts'

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` })
const port = wholeNumber(0, 65535)
const url = (protocols: string[]) =>
  z.url({
    protocol: new RegExp(`^(${protocols.join('|')})$`),
    error: `expected a ${protocols.map((p) => `${p}://`).join(' or ')} URL`,
  })

/** Names of the ONNX Runtime execution providers that can be asked for. */
export const EXECUTION_PROVIDER_NAMES = ['cpu', 'webgpu', 'cuda', 'dml', 'coreml'] as const

/** The validated environment. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  DB_POOL_SIZE: wholeNumber(1, 1000).default(10),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  EDGE_CACHE: z.enum(['ioredis', 'upstash', 'memory']).default('ioredis'),
  UPSTASH_REDIS_REST_URL: url(['http', 'https']).optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  EDGE_DB: z.enum(['pg', 'neon']).default('pg'),
  NEON_DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  SCORE_CACHE_TTL_SECONDS: wholeNumber(1, 86_400).default(300),
  SCORE_L1_TTL_MS: wholeNumber(0, 60_000).default(2000),
  SCORE_L1_MAX_ENTRIES: wholeNumber(1, 1_000_000).default(10_000),
  CORE_URL: url(['http', 'https']).default('http://127.0.0.1:3000'),
  CORE_WORKERS: wholeNumber(1, 256).default(() => cpus().length),
  PORT: port.optional(),
  METRICS_PORT: port.optional(),
  API_KEYS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseApiKeys(value)
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message })
        return z.NEVER
      }
    }),
  GPU_SLOTS: wholeNumber(1, 64).default(1),
  EXECUTION_PROVIDERS: z
    .string()
    .default('cpu')
    .transform((value) => value.split(',').map((name) => name.trim().toLowerCase()))
    .pipe(
      z
        .array(
          z.enum(EXECUTION_PROVIDER_NAMES, {
            error: `expected a comma-separated list of ${EXECUTION_PROVIDER_NAMES.join(', ')}`,
          }),
        )
        .min(1),
    ),
  MODEL_DIR: z.string().min(1).optional(),
  MOCKUP_STORAGE_DIR: z.string().min(1).default('.data/mockups'),
})

/** The typed configuration. */
export type Config = z.infer<typeof configSchema>
