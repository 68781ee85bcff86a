/**
 * One limiter for every app: core's HTTP app and the edge on Node take their
 * settings from `rateLimitFromConfig` (what core/server.ts and
 * core/edge-host/main.ts call), the edge on workerd/Deno from `buildEdgeApp`;
 * all three mount them with `mountRateLimit`. For the same limit each answers
 * the same 429: status, body and limiter headers.
 */
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import { rateLimitFromConfig } from '../../core/rate-limit/from-config.ts'
import { memoryCache, neonSql } from '../../edge/adapters/index.ts'
import { createEdgeApp } from '../../edge/app.ts'
import { buildEdgeApp } from '../../edge/entry/build.ts'
import { createScoreService } from '../../edge/score/index.ts'
import { memoryLogger } from '../support/logs.ts'

const SECRET = 'rate-limit-apps-secret-0123'
const API_KEYS = [{ name: 'apps', tenant: 'apps', secret: SECRET }]
// Never reached: the limiter answers before any route.
const NEON_DATABASE_URL = 'postgres://u@db.invalid/none'
const silent = pino({ enabled: false })
const nodeSettings = (limit: number) =>
  rateLimitFromConfig({ RATE_LIMIT_PER_MINUTE: limit, REDIS_URL: undefined }, 'test', silent)
    .options

const apps = (limit: number) => ({
  core: createCoreApp({
    logger: memoryLogger(),
    observe: () => {},
    apiKeys: API_KEYS,
    rateLimit: nodeSettings(limit),
  }),
  edgeNode: createEdgeApp({
    logger: memoryLogger(),
    observe: () => {},
    apiKeys: API_KEYS,
    score: createScoreService({
      db: neonSql({ connectionString: NEON_DATABASE_URL }),
      cache: memoryCache(),
      ttlSeconds: 60,
    }),
    rateLimit: nodeSettings(limit),
  }),
  edgeWorker: buildEdgeApp(
    {
      EDGE_CACHE: 'memory',
      NEON_DATABASE_URL,
      CORE_URL: 'http://core.invalid',
      EDGE_SERVICE_KEY: 'rate-limit-apps-service-key',
      RATE_LIMIT_PER_MINUTE: String(limit),
      API_KEYS: `apps:${SECRET}`,
    },
    { runtime: 'test', write: () => {} },
  ),
})

const LIMITER_HEADERS = [
  'content-type',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
]

async function answer(res: Response) {
  const headers = Object.fromEntries(LIMITER_HEADERS.map((h) => [h, res.headers.get(h)]))
  return { status: res.status, headers, body: await res.json() }
}

describe('The rate limiter of every app', () => {
  it.each([
    ['an address', {}],
    ['a key name', { headers: { Authorization: `Bearer ${SECRET}` } }],
  ])('Should answer the same 429 on each app, counting per %s', async (_, init) => {
    const answers = []
    for (const [name, app] of Object.entries(apps(2))) {
      for (let i = 0; i < 2; i++) {
        const ok = await app.request('/nowhere', init)
        expect(ok.status, name).toBe(404)
      }
      answers.push(await answer(await app.request('/nowhere', init)))
    }
    const [core, ...edges] = answers
    expect(core).toEqual({
      status: 429,
      headers: {
        'content-type': 'application/json',
        'retry-after': expect.stringMatching(/^(59|60)$/),
        'ratelimit-limit': '2',
        'ratelimit-remaining': '0',
        'ratelimit-reset': expect.stringMatching(/^(59|60)$/),
      },
      body: {
        error: { code: 'rate_limited', message: expect.stringContaining('at most 2 per 60 s') },
      },
    })
    for (const edge of edges) expect(edge).toEqual(core)
  })

  it('Should mount nothing on any app when RATE_LIMIT_PER_MINUTE is 0', async () => {
    for (const [name, app] of Object.entries(apps(0))) {
      const res = await app.request('/nowhere')
      expect(res.status, name).toBe(404)
      expect(res.headers.get('RateLimit-Limit'), name).toBeNull()
    }
  })
})
