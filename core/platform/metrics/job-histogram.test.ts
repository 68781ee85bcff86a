import { AggregatorRegistry, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { parsePrometheusText, sampleValue } from './exposition.ts'
import { jobDurationHistogram } from './job-histogram.ts'

const labels = { queue: 'mockups', name: 'mockup', status: 'completed' }

describe('jobDurationHistogram', () => {
  it('Should register once per registry, however many workers ask', () => {
    const registry = new Registry()
    expect(jobDurationHistogram(registry)).toBe(jobDurationHistogram(registry))
    expect(registry.getMetricsAsArray()).toHaveLength(1)
  })

  it('Should be summed across cluster workers with no aggregator entry', async () => {
    const workers = [new Registry(), new Registry()]
    jobDurationHistogram(workers[0]!).observe(labels, 0.02)
    jobDurationHistogram(workers[1]!).observe(labels, 90)
    const aggregate = AggregatorRegistry.aggregate(
      await Promise.all(workers.map((r) => r.getMetricsAsJSON())),
    )
    const families = parsePrometheusText(await aggregate.metrics())
    expect(sampleValue(families, 'job_duration_seconds_count', labels)).toBe(2)
    expect(sampleValue(families, 'job_duration_seconds_bucket', { ...labels, le: '0.025' })).toBe(1)
    expect(sampleValue(families, 'job_duration_seconds_bucket', { ...labels, le: '60' })).toBe(1)
    expect(sampleValue(families, 'job_duration_seconds_bucket', { ...labels, le: '120' })).toBe(2)
  })
})
