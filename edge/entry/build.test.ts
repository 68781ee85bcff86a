import { describe, expect, it } from 'vitest'
import { EdgeConfigError } from '../config/index.ts'
import { buildEdgeApp } from './build.ts'

// The database is never reached by these requests; a real one is in tests/edge-runtimes.
const ENV = {
  EDGE_CACHE: 'memory',
  NEON_DATABASE_URL: 'postgres://u@db.invalid/none',
  CORE_URL: 'http://core.invalid',
  EDGE_SERVICE_KEY: 'edge-service-key-0123456789',
}

function build(env: Record<string, unknown> = ENV) {
  const lines: Record<string, unknown>[] = []
  const app = buildEdgeApp(env, {
    runtime: 'test',
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  })
  return { app, lines }
}

describe('buildEdgeApp', () => {
  it('Should serve /healthz and log each request with its duration', async () => {
    const { app, lines } = build()
    const res = await app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        service: 'edge',
        runtime: 'test',
        route: '/healthz',
        status: 200,
        durationMs: expect.any(Number),
        msg: 'request',
      }),
    ])
  })

  it('Should answer bad /score input with 400 JSON naming the field', async () => {
    const { app } = build()
    const res = await app.request('/score?topic=cats&product=sofa')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_query', details: { field: 'product' } },
    })
  })

  it('Should follow LOG_LEVEL', async () => {
    const { app, lines } = build({ ...ENV, LOG_LEVEL: 'warn' })
    await app.request('/healthz')
    expect(lines).toEqual([])
  })

  it('Should refuse a bad environment naming the variable', () => {
    expect(() => build({ ...ENV, SCORE_CACHE_TTL_SECONDS: 'soon' })).toThrow(EdgeConfigError)
    expect(() => build({ ...ENV, SCORE_CACHE_TTL_SECONDS: 'soon' })).toThrow(
      /SCORE_CACHE_TTL_SECONDS: expected a whole number/,
    )
  })
})
