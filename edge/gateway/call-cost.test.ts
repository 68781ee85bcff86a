import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { gatewayCallCost } from './call-cost.ts'
import { GATEWAY_LIMITS } from './limits.ts'

const app = new Hono()
app.all('*', (c) => c.json(gatewayCallCost(c, '/trpc')))
const cost = async (path: string) => (await app.request(path)).json()

describe('gatewayCallCost', () => {
  it('Should cost one per call of a batch, and one otherwise', async () => {
    expect(await cost('/trpc/score.get,analytics.topDesigns,mockups.list?batch=1')).toBe(3)
    expect(await cost('/trpc/score.get?batch=1')).toBe(1)
    expect(await cost('/trpc/score.get?input=%7B%7D')).toBe(1)
    // Outside the gateway a comma in the path is no batch.
    expect(await cost('/score,x?batch=1')).toBe(1)
  })

  it('Should cost at most the calls a batch may hold', async () => {
    const calls = Array.from({ length: 50 }, () => 'score.get').join(',')
    expect(await cost(`/trpc/${calls}?batch=1`)).toBe(GATEWAY_LIMITS.maxBatchCalls)
  })
})
