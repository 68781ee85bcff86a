/**
 * Property-based bad input on the edge: GET /score and the tRPC gateway
 * (every procedure, single and batched, GET and POST), 1,000 generated
 * requests each, in process, with a real core app (on a free port) behind
 * the gateway and real PostgreSQL and Redis. Every answer is a 4xx error
 * (JSON, or tRPC's envelope) or a valid success; the edge still answers /healthz.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { AUTH, type FullStack, startFullStack } from '../access/stack.ts'
import { memoryLogger } from '../support/logs.ts'
import { encode, fuzz, mixed, nastyString, queryString, request } from './arbitraries.ts'
import { SCORE_ROUTE, TRPC } from './schemas.ts'

let stack: FullStack
const PROCEDURES = [
  'score.get',
  'analytics.designSummary',
  'analytics.topDesigns',
  'analytics.timeseries',
  'benchmarks.history',
  'mockups.get',
  'mockups.list',
  'mockups.create',
  'signals.ingest',
] as const

/** An input that is often the procedure's shape, with nasty values mixed in. */
const input = fc.oneof(
  mixed({
    topic: fc.constantFrom('fuzz owls', 'Fuzz  Owls', ''),
    product: fc.constantFrom('mug', 'shirt', 'poster', null),
    designId: fc.integer({ min: -1, max: 10 }),
    id: fc.oneof(fc.uuid(), fc.integer()),
    from: fc.constantFrom('2026-05-02T00:00:00Z', 'yesterday'),
    to: fc.constantFrom('2026-06-01T00:00:00Z'),
    metric: fc.constantFrom('revenue', 'purchases', 'nope'),
    limit: fc.integer({ min: -1, max: 200 }),
    cursor: fc.string({ maxLength: 20 }),
    bucket: fc.constantFrom('hour', 'day'),
    prompt: fc.string({ maxLength: 20 }),
    signals: fc.array(
      mixed({
        topic: fc.string({ maxLength: 10 }),
        source: fc.constant('etsy'),
        metric: fc.constant('sales'),
        value: fc.double(),
        observedAt: fc.constant('2026-05-05T00:00:00Z'),
      }),
      { maxLength: 3 },
    ),
  }),
  fc.jsonValue({ maxDepth: 3 }),
  // Inputs valid for one procedure or another, so results are seen and checked.
  fc.constantFrom(
    {},
    { topic: 'fuzz owls' },
    { topic: 'fuzz owls', product: 'mug' },
    { id: 1 },
    { id: 2, bucket: 'day' },
    { limit: 5 },
    { prompt: 'owl on a mug', product: 'mug' },
    {
      signals: [
        {
          topic: 'fuzz owls',
          source: 'etsy',
          metric: 'sales',
          value: 1,
          observedAt: '2026-01-01T00:00:00Z',
        },
      ],
    },
  ),
)

beforeAll(async () => {
  stack = await startFullStack('fuzz_edge', { logger: memoryLogger() })
})

afterAll(async () => {
  await stack?.close()
})

describe('Bad input on the edge', () => {
  it('Should answer GET /score with a 4xx JSON error or a score', async () => {
    const query = fc.oneof(
      queryString(['topic', 'product']),
      fc
        .tuple(
          fc.oneof(fc.constantFrom('fuzz owls', 'a'), nastyString),
          fc.oneof(fc.constantFrom('mug', 'hat'), nastyString),
        )
        .map(([t, p]) => `topic=${encode(t)}&product=${encode(p)}`),
    )
    const methods = fc.constantFrom('GET', 'GET', 'GET', 'POST', 'HEAD', 'OPTIONS')
    await fuzz(stack.edge, request(methods, fc.constant('/score'), query, AUTH), SCORE_ROUTE)
  })

  it('Should answer single tRPC calls with an error envelope or a result', async () => {
    const path = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...PROCEDURES) },
      { weight: 1, arbitrary: nastyString.map(encode) },
    )
    const methods = fc.constantFrom('GET', 'POST', 'PUT', 'OPTIONS')
    const query = fc.oneof(
      input.map((v) => `input=${encode(JSON.stringify(v) ?? '')}`),
      queryString(['input', 'batch']),
    )
    await fuzz(
      stack.edge,
      request(
        methods,
        path.map((p) => `/trpc/${p}`),
        query,
        AUTH,
        input,
      ),
      TRPC,
    )
  })

  it('Should answer batched tRPC calls with envelopes or results', async () => {
    const paths = fc.array(fc.constantFrom(...PROCEDURES), { minLength: 1, maxLength: 25 })
    const methods = fc.constantFrom('GET', 'POST')
    const batchInput = fc
      .tuple(paths, fc.array(input, { maxLength: 25 }), fc.boolean())
      .map(([ps, inputs, asArray]) => {
        const entries = ps.map((_, i) => [String(i), inputs[i]])
        return { ps, body: asArray ? entries.map(([, v]) => v) : Object.fromEntries(entries) }
      })
    const requests = fc
      .tuple(batchInput, request(methods, fc.constant(''), fc.constant(''), AUTH))
      .map(([{ ps, body }, base]) => {
        const json = JSON.stringify(body)
        const path = `/trpc/${ps.join(',')}?batch=1`
        return base.method === 'GET'
          ? { ...base, path: `${path}&input=${encode(json)}` }
          : { ...base, path, body: fc.sample(fc.constant(json), 1)[0] ?? json }
      })
    await fuzz(stack.edge, requests, TRPC)
  })
})
