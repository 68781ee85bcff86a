import { describe, expect, it } from 'vitest'
import { createCoreApp } from '../../core/http/app.ts'
import { HealthDetail, type ReadinessReport } from '../../core/platform/health.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import {
  createMetricsApp,
  createProcessMetrics,
  registryMetrics,
} from '../../core/platform/metrics/index.ts'

const logger = createLogger({ service: 'test', level: 'silent' })

describe('metrics server', () => {
  it('Should serve /metrics as Prometheus text with the defaults and the request histogram', async () => {
    const metrics = createProcessMetrics()
    const app = createCoreApp({ logger, observe: metrics.observeRequest, apiKeys: [] })
    await app.request('/healthz')
    await app.request('/nothing-here')
    const res = await createMetricsApp({ ...registryMetrics(metrics.registry), logger }).request(
      '/metrics',
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const families = parsePrometheusText(await res.text())
    expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge')
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter')
    expect(families.get('http_request_duration_seconds')?.type).toBe('histogram')
    const count = (labels: Record<string, string>) =>
      sampleValue(families, 'http_request_duration_seconds_count', { service: 'core', ...labels })
    expect(count({ method: 'GET', route: '/healthz', status: '200' })).toBe(1)
    expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1)
  })

  it('Should answer /healthz and report readiness per dependency', async () => {
    const metrics = createProcessMetrics()
    const app = createMetricsApp({
      ...registryMetrics(metrics.registry),
      logger,
      readiness: [
        { name: 'up', check: async () => 1 },
        { name: 'detailed', check: async () => new HealthDetail('running on cuda') },
        { name: 'down', check: async () => Promise.reject(new Error('connection refused')) },
      ],
    })
    expect((await app.request('/healthz')).status).toBe(200)
    const ready = await app.request('/readyz')
    expect(ready.status).toBe(503)
    const body = (await ready.json()) as ReadinessReport
    expect(body).toMatchObject({
      ready: false,
      checks: {
        up: { ok: true },
        detailed: { ok: true, detail: 'running on cuda' },
        down: { ok: false, error: 'connection refused' },
      },
    })
    // A client's own answer (here 1) is not a detail.
    expect(body.checks.up).not.toHaveProperty('detail')
  })

  it('Should not hang /readyz on a dependency that never answers', async () => {
    const metrics = createProcessMetrics()
    const app = createMetricsApp({
      ...registryMetrics(metrics.registry),
      logger,
      readiness: [{ name: 'stuck', check: () => new Promise(() => {}) }],
    })
    const res = await app.request('/readyz')
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({
      checks: { stuck: { ok: false, error: /no answer within/ } },
    })
  })
})
