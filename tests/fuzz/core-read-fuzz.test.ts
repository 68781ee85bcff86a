/**
 * Property-based bad input on core's public read routes (/analytics/*: design
 * summary, top designs, time series, latency report), 1,000 generated
 * requests each, in process against real PostgreSQL. Every answer is a 4xx
 * JSON error or a valid success; core still answers /healthz.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { AUTH, type FullStack, startFullStack } from '../access/stack.ts'
import { memoryLogger } from '../support/logs.ts'
import { encode, fuzz, nastyString, queryString, request, segment } from './arbitraries.ts'
import { READ_ROUTES } from './schemas.ts'

let stack: FullStack
const methods = fc.constantFrom('GET', 'GET', 'GET', 'POST', 'HEAD')
const times = fc.oneof(
  fc
    .date({ min: new Date('2026-01-01'), max: new Date('2026-07-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  nastyString,
)
/** Query strings mostly over the routes' own fields with plausible values. */
const analyticsQuery = fc.oneof(
  queryString(['from', 'to', 'product', 'metric', 'limit', 'cursor', 'bucket', 'top']),
  fc
    .record(
      {
        from: times,
        to: times,
        product: fc.constantFrom('mug', 'shirt', 'poster', 'hat'),
        metric: fc.constantFrom('revenue', 'purchases', 'ctr', 'x'),
        limit: fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), nastyString),
        cursor: nastyString,
        bucket: fc.constantFrom('hour', 'day', 'week'),
        top: fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), nastyString),
      },
      { requiredKeys: [] },
    )
    .map((q) =>
      Object.entries(q)
        .map(([k, v]) => `${k}=${encode(v)}`)
        .join('&'),
    ),
)

beforeAll(async () => {
  stack = await startFullStack('fuzz_core_read', { logger: memoryLogger() })
})

afterAll(async () => {
  await stack?.close()
})

describe('Bad input on core read routes', () => {
  const design = () => segment(...stack.designIds.map(String), '0', '-1', '1e3', '99999999999')

  it('Should answer /analytics/designs/:id/summary with a 4xx JSON error or a summary', async () => {
    const path = design().map((id) => `/analytics/designs/${id}/summary`)
    await fuzz(stack.core, request(methods, path, analyticsQuery, AUTH), READ_ROUTES)
  })

  it('Should answer /analytics/top with a 4xx JSON error or a page', async () => {
    await fuzz(
      stack.core,
      request(methods, fc.constant('/analytics/top'), analyticsQuery, AUTH),
      READ_ROUTES,
    )
  })

  it('Should answer /analytics/designs/:id/timeseries with a 4xx JSON error or points', async () => {
    const path = design().map((id) => `/analytics/designs/${id}/timeseries`)
    await fuzz(stack.core, request(methods, path, analyticsQuery, AUTH), READ_ROUTES)
  })

  it('Should answer /analytics/latency with a 4xx JSON error or a report', async () => {
    await fuzz(
      stack.core,
      request(methods, fc.constant('/analytics/latency'), analyticsQuery, AUTH),
      READ_ROUTES,
    )
  })
})
