/**
 * The score benchmark engine against a real edge app (real PostgreSQL and
 * Redis): N first requests that MISS, their N repeats that HIT, the /healthz
 * floor; keys already cached are passed over; and what it refuses: too few
 * keys to miss, answers that are not the edge's, repeats that are not cached
 * (small Hono servers that set X-Cache as told).
 */
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { measureScore, scoreQueries, scoreUrl } from '../../core/benchmarks/index.ts'
import { listen } from '../../core/platform/http/listen.ts'
import type { ScoreQuery } from '../../edge/score/index.ts'
import { type ScoreEdge, startScoreEdge } from './support/score-edge.ts'

let edge: ScoreEdge

beforeAll(async () => {
  edge = await startScoreEdge('measure_score')
})

afterAll(async () => {
  await edge?.close()
})

/**
 * Serves /healthz and a /score whose n-th answer (from 0, the engine's
 * warm-up included) carries `headers(n)`.
 */
async function fakeEdge(headers: (n: number) => Record<string, string>) {
  const app = new Hono()
  let n = 0
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/score', (c) => c.json({ score: 1 }, 200, headers(n++)))
  const served = await listen(app, 0, '127.0.0.1')
  return { url: `http://127.0.0.1:${served.port}`, close: served.close }
}

/** Asks the edge for `queries` (so they are cached), as live traffic would. */
async function request(queries: readonly ScoreQuery[]) {
  for (const q of queries) await fetch(scoreUrl(edge.url, q)).then((r) => r.text())
}

describe('measureScore', () => {
  it('Should time N uncached (MISS) and N cached (HIT) requests of distinct keys, and the floor', async () => {
    const runs = 8
    const m = await measureScore({ url: `${edge.url}/`, topics: edge.topics, runs })
    expect(m.target).toBe(edge.url)
    expect(m.uncached.cache).toEqual({ MISS: runs })
    expect(m.cached.cache).toEqual({ 'HIT/redis': runs })
    // One tier answered every repeat: the pass is named after it.
    expect(m.cached.label).toBe('cached (redis)')
    expect(m.floor.cache).toEqual({ none: runs })
    for (const pass of [m.floor, m.uncached, m.cached]) {
      expect(pass.latenciesMs).toHaveLength(runs)
      expect(pass.totalS).toBeCloseTo(pass.latenciesMs.reduce((a, b) => a + b, 0) / 1000, 9)
      expect(pass.p50Ms).toBeLessThanOrEqual(pass.p95Ms)
      expect(pass.p95Ms).toBeLessThanOrEqual(pass.p99Ms)
    }
    expect(m.speedup).toBeCloseTo(m.uncached.totalS / m.cached.totalS, 9)
    expect(m.queries).toEqual(scoreQueries(edge.topics).slice(0, runs))
    expect(m.alreadyCached).toBe(0)
  })

  it('Should pass over keys that are already cached and still measure N misses', async () => {
    // Topics the first test did not touch; live traffic asked for two of their keys.
    const topics = edge.topics.slice(2, 4)
    const queries = scoreQueries(topics)
    await request(queries.slice(1, 3))
    const m = await measureScore({ url: edge.url, topics, runs: 4 })
    expect(m.alreadyCached).toBe(2)
    expect(m.queries).toEqual([queries[0], ...queries.slice(3, 6)])
    expect(m.uncached.cache).toEqual({ MISS: 4 })
  })

  it('Should refuse a run when too few keys are left uncached', async () => {
    const topics = edge.topics.slice(5, 6)
    await request(scoreQueries(topics))
    await expect(measureScore({ url: edge.url, topics, runs: 2 })).rejects.toThrow(
      /only 0 of 4 keys were uncached \(4 already cached\); 2 runs need more topics/,
    )
  })

  it('Should refuse answers without the edge X-Cache, and repeats that are not HITs', async () => {
    const topics = ['a', 'b']
    const cloudfront = await fakeEdge(() => ({ 'X-Cache': 'Hit from cloudfront' }))
    const down = await fakeEdge(() => ({ 'X-Cache': 'BYPASS' }))
    try {
      await expect(measureScore({ url: cloudfront.url, topics, runs: 2 })).rejects.toThrow(
        /answered X-Cache Hit from cloudfront: not the edge/,
      )
      await expect(measureScore({ url: down.url, topics, runs: 2 })).rejects.toThrow(
        /repeated keys were not all cached: \{"BYPASS":2\}/,
      )
    } finally {
      await cloudfront.close()
      await down.close()
    }
  })

  it('Should name no tier when several answered the repeats, and count each', async () => {
    // n=0 is the warm-up, 1-2 miss, 3 is a Redis HIT and 4 an L1 HIT.
    const mixed = await fakeEdge(
      (n): Record<string, string> =>
        n <= 2
          ? { 'X-Cache': 'MISS' }
          : { 'X-Cache': 'HIT', 'X-Cache-Tier': n === 3 ? 'redis' : 'l1' },
    )
    try {
      const m = await measureScore({ url: mixed.url, topics: ['a'], runs: 2 })
      expect(m.cached.label).toBe('cached')
      expect(m.cached.cache).toEqual({ 'HIT/redis': 1, 'HIT/l1': 1 })
    } finally {
      await mixed.close()
    }
  })
})
