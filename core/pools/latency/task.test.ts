import { describe, expect, it } from 'vitest'
import { jobDurationHistogram } from '../../platform/metrics/job-histogram.ts'
import { createProcessMetrics } from '../../platform/metrics/registry.ts'
import latencyTask, { JOB_SERVICE } from './task.ts'

const requestLine = (route: string, durationMs: number) =>
  JSON.stringify({ level: 30, service: 'core', method: 'GET', route, durationMs, msg: 'request' })
const jobLine = (name: string, durationMs: number, status = 'completed') =>
  JSON.stringify({
    level: 30,
    service: 'ingest-worker',
    queue: 'signal-ingestion',
    name,
    jobId: '1',
    status,
    durationMs,
    attempt: 1,
    msg: 'job',
  })

describe('latency task', () => {
  it('Should rank job lines beside request lines, as route job:<queue>/<name>', () => {
    const text = [
      ...Array.from({ length: 10 }, (_, i) => requestLine('/score', 1 + i)),
      ...Array.from({ length: 10 }, (_, i) => jobLine('batch', 40 + i)),
      jobLine('batch', 45, 'failed'),
      // A job line missing its queue is not a sample.
      JSON.stringify({ service: 'x', name: 'batch', durationMs: 9999, msg: 'job' }),
    ].join('\n')
    const report = latencyTask({ kind: 'log', text })
    expect(report.map((r) => `${r.service} ${r.route}`)).toEqual([
      'ingest-worker job:signal-ingestion/batch',
      'core /score',
    ])
    expect(report[0]).toMatchObject({ count: 11, maxMs: 49 })
  })

  it('Should read job_duration_seconds beside the request histogram', async () => {
    const metrics = createProcessMetrics()
    const jobs = jobDurationHistogram(metrics.registry)
    for (let i = 0; i < 20; i++) {
      metrics.observeRequest({ service: 'core', method: 'GET', route: '/a', status: '200' }, 0.002)
      jobs.observe({ queue: 'mockups', name: 'mockup', status: 'completed' }, 20)
    }
    jobs.observe({ queue: 'mockups', name: 'mockup', status: 'failed' }, 0.5)
    const report = latencyTask({ kind: 'metrics', text: await metrics.registry.metrics() })
    expect(report.map((r) => `${r.service} ${r.route}`)).toEqual([
      `${JOB_SERVICE} job:mockups/mockup`,
      'core /a',
    ])
    // Both statuses are one route; 20 s falls in the (10, 30] s bucket.
    expect(report[0]!.count).toBe(21)
    expect(report[0]!.p50Ms).toBeGreaterThan(10_000)
    expect(report[0]!.p50Ms).toBeLessThanOrEqual(30_000)
  })
})
