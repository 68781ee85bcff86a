/**
 * The latency pool on real Piscina threads: log and metrics reports, the
 * bounded queue, the pool gauges, and an event loop that keeps turning while
 * the pool is busy.
 */
import { Registry } from 'prom-client'
import { afterAll, describe, expect, it } from 'vitest'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import { createProcessMetrics } from '../../core/platform/metrics/index.ts'
import { createLatencyPool } from '../../core/pools/latency/index.ts'

const registry = new Registry()
const pool = createLatencyPool({ size: 1, maxQueue: 2, registry })
afterAll(() => pool.close())

const line = (route: string, durationMs: number, service = 'core') =>
  JSON.stringify({
    level: 30,
    service,
    msg: 'request',
    method: 'GET',
    route,
    status: 200,
    durationMs,
  })

describe('latency pool', () => {
  it('Should report the slowest routes first from request logs', async () => {
    const log = [
      ...Array.from({ length: 100 }, (_, i) => line('/fast', 1 + (i % 3))),
      ...Array.from({ length: 100 }, (_, i) => line('/slow/:id', 100 + i)),
      '{"msg":"not a request"}',
      'torn line {"msg":"request"',
    ].join('\n')
    const report = await pool.run({ kind: 'log', text: log })
    expect(report.map((r) => r.route)).toEqual(['/slow/:id', '/fast'])
    expect(report[0]).toMatchObject({ service: 'core', count: 100, p50Ms: 149.5, maxMs: 199 })
  })

  it('Should estimate percentiles from the request histogram', async () => {
    const metrics = createProcessMetrics()
    for (let i = 0; i < 50; i++) {
      metrics.observeRequest(
        { service: 'edge', method: 'GET', route: '/score', status: '200' },
        0.002,
      )
      metrics.observeRequest(
        { service: 'edge', method: 'GET', route: '/healthz', status: '200' },
        0.0002,
      )
    }
    metrics.observeRequest(
      { service: 'edge', method: 'GET', route: '/score', status: '400' },
      0.002,
    )
    const report = await pool.run({ kind: 'metrics', text: await metrics.registry.metrics() })
    expect(report.map((r) => r.route)).toEqual(['/score', '/healthz'])
    // Both statuses of /score are one route; 2 ms falls in the (1, 2.5] ms bucket.
    expect(report[0]!.count).toBe(51)
    expect(report[0]!.p50Ms).toBeGreaterThan(1)
    expect(report[0]!.p50Ms).toBeLessThanOrEqual(2.5)
  })

  it('Should keep the event loop turning while a thread works', async () => {
    const big = Array.from({ length: 300_000 }, (_, i) => line(`/r${i % 50}`, i % 997)).join('\n')
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const report = await pool.run({ kind: 'log', text: big })
    clearInterval(timer)
    expect(report).toHaveLength(50)
    // Parsing 300k lines on this thread would have let no timer run meanwhile.
    expect(ticks).toBeGreaterThan(5)
  })

  it('Should refuse work beyond its queue with a 503 and export its gauges', async () => {
    const text = Array.from({ length: 50_000 }, (_, i) => line('/x', i)).join('\n')
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => pool.run({ kind: 'log', text })),
    )
    const refused = results.filter((r) => r.status === 'rejected')
    expect(refused.length).toBeGreaterThan(0)
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      status: 503,
      code: 'busy',
    })
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true)
    const families = parsePrometheusText(await registry.metrics())
    expect(sampleValue(families, 'worker_pool_queue_size', { pool: 'latency' })).toBe(0)
    // A share of the pool's capacity: a ratio, not a count.
    const utilization = sampleValue(families, 'worker_pool_utilization', { pool: 'latency' })
    expect(utilization).toBeGreaterThanOrEqual(0)
    expect(utilization).toBeLessThanOrEqual(1)
  })
})
