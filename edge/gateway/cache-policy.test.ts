import { describe, expect, it } from 'vitest'
import { gatewayResponseMeta, queryCacheHeaders, queryCachePolicies } from './cache-policy.ts'

const policies = queryCachePolicies({ scoreMaxAge: 300 })
const meta = (over: Partial<Parameters<typeof gatewayResponseMeta>[1]>) =>
  gatewayResponseMeta(policies, {
    type: 'query',
    paths: ['score.get'],
    errorCodes: [],
    eagerGeneration: false,
    ...over,
  }).headers

describe('queryCacheHeaders', () => {
  it('Should make public queries public for their max-age', () => {
    expect(queryCacheHeaders(policies, ['score.get'])).toEqual({
      'Cache-Control': 'public, max-age=300',
      Vary: 'trpc-accept',
    })
  })

  it('Should give a public batch the shortest max-age', () => {
    expect(queryCacheHeaders(policies, ['score.get', 'benchmarks.history'])['Cache-Control']).toBe(
      'public, max-age=60',
    )
  })

  it.each([
    [['mockups.get']],
    [['score.get', 'mockups.list']],
    [['analytics.topDesigns', 'no.such']],
  ])('Should make %j private and vary on Authorization', (paths) => {
    expect(queryCacheHeaders(policies, paths)).toEqual({
      'Cache-Control': 'private, no-cache',
      Vary: 'Authorization, trpc-accept',
    })
  })
})

describe('gatewayResponseMeta', () => {
  it('Should not let mutations, errors or streams be stored', () => {
    expect(meta({ type: 'mutation', paths: ['signals.ingest'] })).toEqual({
      'Cache-Control': 'no-store',
    })
    expect(meta({ errorCodes: ['BAD_REQUEST'] })).toEqual({ 'Cache-Control': 'no-store' })
    expect(meta({ eagerGeneration: true })).toEqual({ 'Cache-Control': 'no-store' })
  })

  it('Should name the scheme on a 401', () => {
    expect(meta({ errorCodes: ['UNAUTHORIZED'] })).toMatchObject({
      'WWW-Authenticate': 'Bearer realm="api"',
    })
  })
})
