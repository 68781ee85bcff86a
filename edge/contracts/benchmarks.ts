/**
 * @module
 * The benchmark contract: `benchmarks.history` (persisted runs of
 * `benchmark_score`, newest first, a page at a time): its input, page limits,
 * the run it answers with and its error codes. The procedure and the console's
 * chart read it from here.
 */
import { z } from 'zod'
import { OUTAGE_CODES } from '../errors/unavailable.ts'
import { keysetCursor } from '../validation/keyset-cursor.ts'

/** Limits of a history page. */
export interface BenchmarkLimits {
  maxPageSize: number
  defaultPageSize: number
}

/** The limits the platform runs with. */
export const BENCHMARK_LIMITS: BenchmarkLimits = { maxPageSize: 100, defaultPageSize: 20 }

/** Error codes: a database that is down (`SERVICE_UNAVAILABLE` through tRPC). */
export const BENCHMARK_ERRORS = { unavailable: OUTAGE_CODES.database } as const

const percentiles = z.object({ p50Ms: z.number(), p95Ms: z.number(), p99Ms: z.number() })
const timings = percentiles.extend({ totalS: z.number() })

/** Builds the benchmark schemas from `limits` (see {@link benchmarkContract}). */
export function createBenchmarkContract(limits: BenchmarkLimits = BENCHMARK_LIMITS) {
  const L = limits
  /** One benchmark run. */
  const run = z.object({
    id: z.number(),
    ranAt: z.string(),
    runs: z.number(),
    target: z.string(),
    runtime: z.string(),
    gitCommit: z.string().nullable(),
    speedup: z.number(),
    uncached: timings,
    cached: timings,
    l1: timings.nullable(),
  })
  return {
    limits: L,
    /** `benchmarks.history` input: a page size and an opaque keyset cursor of `[ranAt, id]`. */
    historyInput: z
      .object({
        limit: z.number().int().min(1).max(L.maxPageSize).default(L.defaultPageSize),
        cursor: keysetCursor((key) => !Number.isNaN(Date.parse(key)))
          .transform(({ key, id }) => ({ ranAt: key, id }))
          .optional(),
      })
      .default({ limit: L.defaultPageSize }),
    run,
    /** `benchmarks.history` output. */
    history: z.object({ items: z.array(run), nextCursor: z.string().nullable() }),
  }
}

/** The schemas of one benchmark contract. */
export type BenchmarkContract = ReturnType<typeof createBenchmarkContract>

/** The contract the platform runs with. */
export const benchmarkContract: BenchmarkContract = createBenchmarkContract()

/** One benchmark run as the API answers it. */
export type BenchmarkRun = z.output<BenchmarkContract['run']>
