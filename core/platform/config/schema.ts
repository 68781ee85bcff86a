/**
 * @module
 * The environment every Node process reads (DESIGN.md "Configuration"), as one
 * zod schema. Each service picks the part it needs; defaults live here only.
 */
import { cpus } from 'node:os'
import { z } from 'zod'
import { parseApiKeys } from '../../../edge/auth/index.ts'
import { parseCorsOrigins } from '../../../edge/cors/index.ts'
import { cronProblem } from '../queue/cron.ts'

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
  // Where GET /analytics/latency reads request histograms (comma-separated
  // /metrics URLs; internal addresses from configuration, never from a request).
  LATENCY_METRICS_URLS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(z.array(url(['http', 'https'])).min(1))
    .optional(),
  // Edge cache keys' prefix (Upstash has no per-connection prefix) and, for
  // local runs only, where neon() posts its SQL (the local Neon bridge).
  SCORE_CACHE_PREFIX: z.string().max(100).default(''),
  NEON_FETCH_ENDPOINT: url(['http', 'https']).optional(),
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
  GPU_SLOTS: wholeNumber(1, 64).default(1),
  // The device whose slots this worker takes (slot key `<QUEUE_PREFIX>:gpu:slots:<device>`).
  GPU_DEVICE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected 1-64 characters of [A-Za-z0-9_.-]' })
    .default('0'),
  // Mock-up jobs one GPU worker process takes at once (the slots still bound the GPU).
  GPU_WORKER_CONCURRENCY: wholeNumber(1, 64).default(1),
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
  // BullMQ key prefix (`<prefix>:<queue>:wait`): one per environment sharing a Redis.
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'expected 1-64 characters of [A-Za-z0-9_.:-]' })
    .default('bull'),
  // A dead worker's job is picked up again once its lock expires (next stalled check).
  QUEUE_LOCK_DURATION_MS: wholeNumber(1000, 3_600_000).default(30_000),
  QUEUE_STALLED_INTERVAL_MS: wholeNumber(500, 3_600_000).default(30_000),
  // Longest POST /signals waits for Redis before answering 503.
  QUEUE_ADD_TIMEOUT_MS: wholeNumber(50, 60_000).default(2000),
  // Attempts per job and the first retry delay (doubling each time).
  QUEUE_ATTEMPTS: wholeNumber(1, 100).default(10),
  QUEUE_BACKOFF_DELAY_MS: wholeNumber(10, 600_000).default(1000),
  // Batches one ingestion worker process writes at once.
  INGEST_CONCURRENCY: wholeNumber(1, 256).default(4),
  // Test only: the ingestion worker holds each job this long after its insert.
  INGEST_TEST_HOLD_MS: wholeNumber(0, 3_600_000).default(0),
  // When benchmark_score_job runs: a BullMQ cron (5 fields, or 6 with seconds first), in UTC.
  BENCHMARK_CRON: z
    .string()
    .default('0 3 * * *')
    .superRefine((pattern, ctx) => {
      const problem = cronProblem(pattern)
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a cron pattern such as "0 3 * * *" (${problem})`,
        })
      }
    }),
  // Requests per pass of the scheduled score benchmark.
  BENCHMARK_RUNS: wholeNumber(1, 2000).default(100),
  // The optimization service's metrics store; unset means DATABASE_URL.
  METRICS_STORE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
      error: 'expected sqlite:<path> or a postgres:// URL',
    })
    .optional(),
})

/** The typed configuration. */
export type Config = z.infer<typeof configSchema>
