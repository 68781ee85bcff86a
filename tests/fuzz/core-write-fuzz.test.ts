/**
 * Property-based bad input on core's write and private routes: POST /signals,
 * POST /experiments/:id/metrics, GET /experiments/:id/summary and the
 * mock-up routes, 1,000 generated requests each (hostile query strings,
 * bodies, headers), in process against real PostgreSQL and Redis. Every
 * answer is a 4xx JSON error or a valid success; core still answers /healthz.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { AUTH, type FullStack, startFullStack } from '../access/stack.ts'
import { memoryLogger } from '../support/logs.ts'
import { encode, fuzz, mixed, nastyString, queryString, request, segment } from './arbitraries.ts'
import { WRITE_ROUTES } from './schemas.ts'

let stack: FullStack
const methods = fc.constantFrom('GET', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS')
const isoDate = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString())

const pastDate = fc
  .date({ min: new Date('2025-01-01'), max: new Date('2026-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString())
beforeAll(async () => {
  stack = await startFullStack('fuzz_core_write', { logger: memoryLogger() })
})

afterAll(async () => {
  await stack?.close()
})

describe('Bad input on core write routes', () => {
  it('Should answer POST /signals with a 4xx JSON error or 202, never a 5xx', async () => {
    const signal = mixed({
      topic: fc.string({ minLength: 1, maxLength: 30 }),
      product: fc.constantFrom('mug', 'shirt', 'poster', undefined),
      source: fc.constantFrom('etsy', 'reddit'),
      metric: fc.constantFrom('sales', 'saves'),
      value: fc.double(),
      observedAt: isoDate,
    })
    const valid = fc.record({
      topic: fc.constantFrom('fuzz owls', 'Retro Cats'),
      source: fc.constantFrom('etsy', 'reddit'),
      metric: fc.constantFrom('sales', 'saves'),
      value: fc.double({ noNaN: true, noDefaultInfinity: true }),
      observedAt: pastDate,
    })
    const batch = fc.oneof(
      fc.record({ signals: fc.array(signal, { maxLength: 5 }) }),
      fc.record({ signals: fc.array(valid, { minLength: 1, maxLength: 5 }) }),
      fc.array(signal, { maxLength: 3 }),
    )
    await fuzz(
      stack.core,
      request(methods, fc.constant('/signals'), queryString(['x']), AUTH, batch),
      WRITE_ROUTES,
    )
  })

  it('Should answer the experiment routes with a 4xx JSON error or a success', async () => {
    const metric = mixed({
      name: fc.constantFrom('conversion', 'latency_ms'),
      value: fc.double(),
      variant: fc.constantFrom('a', 'b'),
      tags: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })),
      recordedAt: isoDate,
    })
    const id = segment('exp-1', 'checkout.v2', 'a'.repeat(64), 'a'.repeat(65))
    const path = fc
      .tuple(id, fc.constantFrom('metrics', 'summary', 'x'))
      .map(([experiment, tail]) => `/experiments/${experiment}/${tail}`)
    await fuzz(
      stack.core,
      request(
        methods,
        path,
        queryString(['name', 'from', 'to']),
        AUTH,
        fc.oneof(
          fc.record({ metrics: fc.array(metric, { maxLength: 4 }) }),
          fc.array(metric),
          fc.record({
            metrics: fc.array(
              fc.record({
                name: fc.constantFrom('conversion', 'latency_ms'),
                value: fc.integer({ min: 0, max: 1000 }),
                tags: fc.record({ variant: fc.constantFrom('a', 'b') }),
              }),
              { minLength: 1, maxLength: 4 },
            ),
          }),
        ),
      ),
      WRITE_ROUTES,
    )
  })

  it('Should answer the mock-up routes with a 4xx JSON error or a success', async () => {
    const valid = fc.record(
      {
        prompt: fc.constantFrom('shirt design', 'owl on a mug'),
        product: fc.constantFrom('mug', 'shirt', 'poster'),
        steps: fc.integer({ min: 1, max: 50 }),
        width: fc.constantFrom(64, 512),
      },
      { requiredKeys: ['prompt', 'product'] },
    )
    const create = mixed({
      prompt: fc.string({ minLength: 1, maxLength: 50 }),
      product: fc.constantFrom('mug', 'shirt', 'poster'),
      seed: fc.integer(),
      steps: fc.integer({ min: -1, max: 100 }),
      width: fc.integer({ min: 0, max: 2048 }),
      height: fc.integer({ min: 0, max: 2048 }),
    })
    const id = segment(stack.mockupId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid')
    const path = fc.oneof(
      fc.constant('/mockups'),
      id.map((m) => `/mockups/${m}`),
      fc
        .tuple(id, fc.constantFrom('png', 'webp', 'gif', 'png/..', ''))
        .map(([m, f]) => `/mockups/${m}/image.${f}`),
    )
    await fuzz(
      stack.core,
      request(methods, path, queryString(['limit', 'cursor']), AUTH, fc.oneof(create, valid)),
      WRITE_ROUTES,
    )
  })

  it('Should answer GET /signals/jobs/:id and unknown paths with JSON', async () => {
    const path = fc.oneof(
      segment('1', 'abc:def', 'x'.repeat(129)).map((id) => `/signals/jobs/${id}`),
      nastyString.map((s) => `/${encode(s).slice(0, 200)}`),
    )
    await fuzz(stack.core, request(methods, path, queryString(['a']), AUTH), WRITE_ROUTES)
  })
})
