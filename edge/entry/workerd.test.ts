import { afterEach, describe, expect, it, vi } from 'vitest'
import worker from './workerd.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('The workerd entry', () => {
  it('Should log the missing settings once, by name, and answer 500 JSON without them', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const env = { EDGE_CACHE: 'memory', NEON_DATABASE_URL: 'postgres://u@db.invalid/none' }
    for (let i = 0; i < 2; i++) {
      const res = await worker.fetch(new Request('http://edge.test/healthz'), env, {})
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({
        error: { code: 'misconfigured', message: 'The edge is misconfigured: see its logs' },
      })
    }
    expect(logged).toHaveBeenCalledTimes(1)
    const message = String(logged.mock.calls[0]?.[0])
    expect(message).toMatch(/CORE_URL: required on Workers and Deno/)
    expect(message).toMatch(/EDGE_SERVICE_KEY: required on Workers and Deno/)
  })
})
