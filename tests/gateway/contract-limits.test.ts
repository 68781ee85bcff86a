/**
 * A limit changed in a contract (edge/contracts/) changes every entry point:
 * the contracts are replaced here by ones built with other limits, and core's
 * routes, the tRPC procedures, the job payloads and the workers each refuse
 * what the new limits refuse and accept what they allow. Nothing here needs
 * Redis or PostgreSQL: a request that passes validation meets a missing
 * dependency (503), one that fails it never gets that far (400).
 */
import { randomUUID } from 'node:crypto'
import type { Job } from 'bullmq'
import type pg from 'pg'
import { describe, expect, it, vi } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import { createSignalProcessor } from '../../core/ingestion/processor.ts'
import { signalRoutes } from '../../core/ingestion/routes.ts'
import { mockupRoutes } from '../../core/mockups/routes.ts'
import { experimentRoutes } from '../../core/optimization/routes.ts'
import { mockupJobSchema, signalIngestionJobSchema } from '../../core/platform/queue/index.ts'
import { createFsMockupStorage } from '../../core/platform/storage/index.ts'
import { parseApiKeys } from '../../edge/auth/index.ts'
import type { MockupJob } from '../../edge/contracts/mockups.ts'
import type { SignalIngestionJob } from '../../edge/contracts/signals.ts'
import type { SqlClient } from '../../edge/db/types.ts'
import { createCoreClient } from '../../edge/gateway/core-client.ts'
import { analyticsRouter } from '../../edge/gateway/procedures/analytics.ts'
import { benchmarksRouter } from '../../edge/gateway/procedures/benchmarks.ts'
import { mockupsRouter } from '../../edge/gateway/procedures/mockups.ts'
import { scoreRouter } from '../../edge/gateway/procedures/score.ts'
import { signalsRouter } from '../../edge/gateway/procedures/signals.ts'
import type { ScoreService } from '../../edge/score/service.ts'
import { type MockupProcessorDeps, mockupProcessor } from '../../gpu-worker/worker/processor.ts'
import { memoryLogger } from '../support/logs.ts'

vi.mock('../../edge/contracts/mockups.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../edge/contracts/mockups.ts')>()
  const limits = { ...real.MOCKUP_LIMITS, maxSteps: 7, maxPromptLength: 40, maxPageSize: 10 }
  return { ...real, MOCKUP_LIMITS: limits, mockupContract: real.createMockupContract(limits) }
})
vi.mock('../../edge/contracts/signals.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../edge/contracts/signals.ts')>()
  const limits = { ...real.SIGNAL_LIMITS, maxPerBatch: 3 }
  return { ...real, SIGNAL_LIMITS: limits, signalContract: real.createSignalContract(limits) }
})
// Rebuilds a contract module's limits and contract (the other exports stay real).
const { relimit } = vi.hoisted(() => ({
  relimit: async (
    original: () => Promise<Record<string, unknown>>,
    [limitsName, contractName, createName]: [string, string, string],
    changes: object,
  ) => {
    const real = await original()
    const limits = { ...(real[limitsName] as object), ...changes }
    const contract = (real[createName] as (l: object) => Record<string, unknown>)(limits)
    return { ...real, [limitsName]: limits, [contractName]: contract }
  },
}))
vi.mock('../../edge/contracts/score.ts', async (original) => {
  const names: [string, string, string] = ['SCORE_LIMITS', 'scoreContract', 'createScoreContract']
  const mod = await relimit(original, names, { maxTopicLength: 12 })
  const { query } = mod.scoreContract as { query: unknown }
  return { ...mod, MAX_TOPIC_LENGTH: 12, scoreQuerySchema: query }
})
vi.mock('../../edge/contracts/experiments.ts', (original) =>
  relimit(original, ['EXPERIMENT_LIMITS', 'experimentContract', 'createExperimentContract'], {
    maxMetricsPerRequest: 2,
  }),
)
vi.mock('../../edge/contracts/analytics.ts', (original) =>
  relimit(original, ['ANALYTICS_LIMITS', 'analyticsContract', 'createAnalyticsContract'], {
    maxPageSize: 5,
  }),
)
vi.mock('../../edge/contracts/benchmarks.ts', (original) =>
  relimit(original, ['BENCHMARK_LIMITS', 'benchmarkContract', 'createBenchmarkContract'], {
    maxPageSize: 5,
  }),
)

const SECRET = 'contract-secret-0123456789'
const AUTH = { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' }

/** Core with both capabilities' routes and neither dependency configured. */
const core = createCoreApp({
  logger: memoryLogger(),
  observe: () => {},
  apiKeys: parseApiKeys(`ci:${SECRET}`),
  routes: [
    mockupRoutes({
      records: undefined,
      queue: undefined,
      storage: createFsMockupStorage({ root: '.data/contract-limits-test' }),
    }),
    signalRoutes({ queue: undefined }),
    experimentRoutes({ store: undefined }),
  ],
})
const post = (path: string, body: unknown) =>
  core.request(path, { method: 'POST', headers: AUTH, body: JSON.stringify(body) })

/** What a keyed gateway call carries. */
const gatewayContext = {
  apiKeyName: 'ci',
  authorization: `Bearer ${SECRET}`,
  signal: new AbortController().signal,
}

/** The gateway's procedures over a core that accepts anything; `calls` counts what reached it. */
function gateway() {
  const calls: string[] = []
  const client = createCoreClient({
    baseUrl: 'http://core.test',
    fetch: async (url) => {
      calls.push(String(url))
      const accepted = String(url).includes('/signals')
        ? { jobId: '1', count: 1 }
        : { id: randomUUID(), status: 'queued' }
      return Response.json(
        String(url).includes('limit') ? { items: [], nextCursor: null } : accepted,
        {
          status: 202,
        },
      )
    },
  })
  const ctx = gatewayContext
  return {
    calls,
    mockups: mockupsRouter(client).createCaller(ctx),
    signals: signalsRouter(client).createCaller(ctx),
    analytics: analyticsRouter(client).createCaller(ctx),
  }
}

const codeOf = (err: unknown) => (err as { code?: string }).code

const signal = (i: number) => ({
  topic: `contract ${i}`,
  source: 'etsy',
  metric: 'sales',
  value: i,
  observedAt: '2026-05-30T00:00:00Z',
})

describe('A mock-up limit changed in the contract', () => {
  const request = { prompt: 'shirt design', product: 'mug' as const }

  it('Should change core’s POST /mockups and GET /mockups', async () => {
    const over = await post('/mockups', { ...request, steps: 8 })
    expect(over.status).toBe(400)
    expect(await over.json()).toMatchObject({
      error: { message: 'steps must be a whole number from 1 to 7', details: { field: 'steps' } },
    })
    const long = await post('/mockups', { ...request, prompt: 'x'.repeat(41) })
    expect(((await long.json()) as { error: { message: string } }).error.message).toMatch(
      /at most 40/,
    )
    // Within the new limits validation passes and the missing database answers.
    expect((await post('/mockups', { ...request, steps: 7 })).status).toBe(503)
    expect((await core.request('/mockups?limit=11', { headers: AUTH })).status).toBe(400)
  })

  it('Should change the tRPC procedures, which then never call core', async () => {
    const { mockups, calls } = gateway()
    expect(codeOf(await mockups.create({ ...request, steps: 8 }).catch((e) => e))).toBe(
      'BAD_REQUEST',
    )
    expect(codeOf(await mockups.list({ limit: 11 }).catch((e) => e))).toBe('BAD_REQUEST')
    expect(calls).toEqual([])
    await mockups.create({ ...request, steps: 7 })
    expect(calls).toHaveLength(1)
  })

  it('Should change the job payload and the GPU worker', async () => {
    const job: MockupJob = {
      ...request,
      mockupId: randomUUID(),
      seed: 1,
      steps: 8,
      width: 512,
      height: 512,
    }
    expect(mockupJobSchema.safeParse(job).success).toBe(false)
    expect(mockupJobSchema.safeParse({ ...job, steps: 7 }).success).toBe(true)
    // The worker refuses the payload before it touches any of its dependencies.
    const process = mockupProcessor({} as MockupProcessorDeps)
    await expect(process({ data: job } as Job<MockupJob>)).rejects.toMatchObject({
      name: 'UnrecoverableError',
    })
  })
})

describe('A signal limit changed in the contract', () => {
  const four = [1, 2, 3, 4].map(signal)

  it('Should change core’s POST /signals', async () => {
    const over = await post('/signals', { signals: four })
    expect(over.status).toBe(413)
    expect(((await over.json()) as { error: { message: string } }).error.message).toMatch(
      /at most 3 signals/,
    )
    expect((await post('/signals', { signals: four.slice(0, 3) })).status).toBe(503)
  })

  it('Should change signals.ingest, which then never calls core', async () => {
    const { signals, calls } = gateway()
    expect(codeOf(await signals.ingest({ signals: four }).catch((e) => e))).toBe('BAD_REQUEST')
    expect(calls).toEqual([])
    await signals.ingest({ signals: four.slice(0, 3) })
    expect(calls).toHaveLength(1)
  })

  it('Should change the job payload and the ingestion worker', async () => {
    const job: SignalIngestionJob = {
      signals: four.map((s) => ({ ...s, product: null })),
      postedBy: 'ci',
      acceptedAt: '2026-05-30T00:00:00.000Z',
    }
    expect(signalIngestionJobSchema.safeParse(job).success).toBe(false)
    expect(
      signalIngestionJobSchema.safeParse({ ...job, signals: job.signals.slice(0, 3) }).success,
    ).toBe(true)
    // The worker refuses the payload before it writes anything.
    const process = createSignalProcessor({ db: {} as Pick<pg.Pool, 'query'> })
    await expect(process({ data: job } as Job<SignalIngestionJob>)).rejects.toMatchObject({
      name: 'UnrecoverableError',
    })
  })
})

describe('A score, experiment, analytics and benchmark limit changed in its contract', () => {
  it('Should change score.get and the topic of POST /signals, which follow the score contract', async () => {
    const looked: unknown[] = []
    // Never reached by a refused query; a passing one would read the database.
    const service = {
      get: async (query: unknown) => {
        looked.push(query)
        throw new Error('not reached')
      },
    } as unknown as ScoreService
    const score = scoreRouter(service).createCaller(gatewayContext)
    expect(codeOf(await score.get({ topic: 'x'.repeat(13) }).catch((e) => e))).toBe('BAD_REQUEST')
    expect(looked).toEqual([])
    const over = await post('/signals', { signals: [{ ...signal(1), topic: 'x'.repeat(13) }] })
    expect(over.status).toBe(400)
    expect(await over.json()).toMatchObject({
      error: { details: { field: 'signals.0.topic' } },
    })
  })

  it('Should change core’s POST /experiments/:id/metrics', async () => {
    const metric = (i: number) => ({ name: 'clicks', value: i, tags: { variant: 'a' } })
    const over = await post('/experiments/exp-1/metrics', { metrics: [1, 2, 3].map(metric) })
    expect(over.status).toBe(413)
    expect(await over.json()).toMatchObject({ error: { code: 'too_many_metrics' } })
    // Within the new limit validation passes and the missing store answers.
    const ok = await post('/experiments/exp-1/metrics', { metrics: [1, 2].map(metric) })
    expect(ok.status).toBe(503)
  })

  it('Should change analytics.topDesigns, which then never calls core', async () => {
    const { analytics, calls } = gateway()
    expect(codeOf(await analytics.topDesigns({ limit: 6 }).catch((e) => e))).toBe('BAD_REQUEST')
    expect(calls).toEqual([])
  })

  it('Should change benchmarks.history, which then never reads the database', async () => {
    const queries: string[] = []
    const db = {
      query: async (sql: string) => {
        queries.push(sql)
        return []
      },
    } as unknown as SqlClient
    const benchmarks = benchmarksRouter(db).createCaller(gatewayContext)
    expect(codeOf(await benchmarks.history({ limit: 6 }).catch((e) => e))).toBe('BAD_REQUEST')
    expect(queries).toEqual([])
    expect(await benchmarks.history({ limit: 5 })).toEqual({ items: [], nextCursor: null })
    expect(queries).toHaveLength(1)
  })
})
