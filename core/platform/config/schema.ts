/**
 * @module
 * The environment every Node process reads (DESIGN.md "Configuration"), as one
 * zod schema. Each service picks the part it needs; defaults live here only.
 */
import { cpus } from 'node:os'
import { z } from 'zod'
import { checkEdgeAppFields, edgeAppFields, url, wholeNumber } from '../../../edge/config/fields.ts'
import { scoreQuerySchema } from '../../../edge/score/index.ts'
import { cronProblem } from '../queue/cron.ts'
import { S3_STORAGE_URL_PATTERN } from '../storage/s3-location.ts'

const port = wholeNumber(0, 65535)

// Only the two spellings an operator means; `yes`, `on` or a typo is refused
// rather than read as false.
const flag = z.stringbool({
  truthy: ['true', '1'],
  falsy: ['false', '0'],
  case: 'insensitive',
  error: 'expected true or false',
})

/** Names of the ONNX Runtime execution providers that can be asked for. */
export const EXECUTION_PROVIDER_NAMES = ['cpu', 'webgpu', 'cuda', 'dml', 'coreml'] as const

/** The settings, each checked alone. */
const configFields = z.object({
  // The edge app's settings, shared with its portable schema (edge/config).
  ...edgeAppFields,
  // Names (comma-separated) of API_KEYS entries that see every tenant and may
  // open the admin routes (bull-board); unset: none may.
  ADMIN_KEYS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  DB_POOL_SIZE: wholeNumber(1, 1000).default(10),
  // The queue Redis (BullMQ): must be noeviction and persistent (checked at /readyz).
  REDIS_URL: url(['redis', 'rediss']).optional(),
  // The cache Redis (score cache, rate limiter): may evict and forget, so it
  // can be a separate, cheaper server. Unset: REDIS_URL (filled in by loadConfig).
  CACHE_REDIS_URL: url(['redis', 'rediss']).optional(),
  // Accept a queue Redis that may evict or lose keys (no noeviction, no
  // AOF/RDB): /readyz passes, naming what is unsafe. For tests and throwaway stacks.
  QUEUE_REDIS_ALLOW_VOLATILE: flag.default(false),
  EDGE_CACHE: z.enum(['ioredis', 'upstash', 'memory']).default('ioredis'),
  EDGE_DB: z.enum(['pg', 'neon']).default('pg'),
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
  CORE_WORKERS: wholeNumber(1, 256).default(() => cpus().length),
  PORT: port.optional(),
  METRICS_PORT: port.optional(),
  GPU_SLOTS: wholeNumber(1, 64).default(1),
  // Overrides the device whose slots this worker takes (slot key
  // `<QUEUE_PREFIX>:gpu:slots:<device>`). Unset: the GPU's UUID from the
  // driver, else the pod's hostname (gpu-worker/slots/device-identity.ts).
  GPU_DEVICE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected 1-64 characters of [A-Za-z0-9_.-]' })
    .optional(),
  // A GPU worker whose models fell back to the CPU reports itself not ready
  // and takes no jobs, instead of only logging a warning.
  REQUIRE_GPU: flag.default(false),
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
  // Mock-up images in an S3-compatible bucket instead of MOCKUP_STORAGE_DIR
  // (core/platform/storage/s3-storage.ts); needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
  MOCKUP_STORAGE_URL: z
    .string()
    .regex(S3_STORAGE_URL_PATTERN, {
      error: 'expected s3://bucket or s3://bucket/prefix (prefix segments of [A-Za-z0-9_-])',
    })
    .optional(),
  // An S3-compatible endpoint (R2, MinIO), reached path-style; unset: AWS.
  MOCKUP_STORAGE_ENDPOINT: url(['http', 'https']).optional(),
  MOCKUP_STORAGE_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, { error: 'expected a region such as us-east-1 (R2: auto)' })
    .default('us-east-1'),
  // Image URLs under a CDN in front of the bucket; unset: presigned GET URLs.
  MOCKUP_PUBLIC_BASE_URL: url(['http', 'https']).optional(),
  // How long a presigned image URL is valid (SigV4 allows at most 7 days).
  MOCKUP_URL_TTL_SECONDS: wholeNumber(1, 604_800).default(900),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_SESSION_TOKEN: z.string().optional(),
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
  // How often core's mock-up reconciler looks for queued/running rows whose
  // job is gone (one process per pass), and how old such a row must be first.
  MOCKUP_RECONCILE_INTERVAL_MS: wholeNumber(1000, 86_400_000).default(60_000),
  MOCKUP_RECONCILE_GRACE_MS: wholeNumber(10_000, 86_400_000).default(120_000),
  // Requests per pass of the scheduled score benchmark.
  BENCHMARK_RUNS: wholeNumber(1, 2000).default(100),
  // The deployed edge benchmark_score_job times (its in-cluster Service URL);
  // unset: the job is not scheduled, since no default address is right.
  BENCHMARK_SCORE_URL: url(['http', 'https']).optional(),
  // Topics (comma-separated) whose /score keys the job requests: each gives
  // one key alone and one per product, and a pass needs BENCHMARK_RUNS keys
  // that are not already cached.
  BENCHMARK_TOPICS: z
    .string()
    .transform((value) => value.split(',').filter((topic) => topic.trim() !== ''))
    // Each topic as /score validates and normalises it.
    .pipe(z.array(scoreQuerySchema.shape.topic).min(1, { error: 'expected at least one topic' }))
    .optional(),
  // The optimization service's metrics store; unset means DATABASE_URL.
  METRICS_STORE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
      error: 'expected sqlite:<path> or a postgres:// URL',
    })
    .optional(),
})

/** The validated environment, with the checks that span settings. */
export const configSchema = configFields.superRefine((config, ctx) => {
  checkEdgeAppFields(config, ctx)
  const names = new Set(config.API_KEYS.map((key) => key.name))
  for (const name of config.ADMIN_KEYS.filter((admin) => !names.has(admin))) {
    ctx.addIssue({
      code: 'custom',
      path: ['ADMIN_KEYS'],
      message: `"${name}" is not the name of a key in API_KEYS`,
    })
  }
  // The bucket is reached with the standard AWS credentials.
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const) {
    if (config.MOCKUP_STORAGE_URL && !config[name]) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'required when MOCKUP_STORAGE_URL is set',
      })
    }
  }
})

/** The typed configuration. */
export type Config = z.infer<typeof configSchema>
