import { AggregatorRegistry, Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import type { RequestLabels } from '../../../edge/profiling/index.ts'
import { HTTP_DURATION_BUCKETS } from './registry.ts'
import { RequestHistogram } from './request-histogram.ts'

const NAME = 'http_request_duration_seconds'
const HELP = 'request durations'

/** The same observations into prom-client's Histogram and ours, each in its own registry. */
function both(observations: [RequestLabels, number][]) {
  const reference = new Registry()
  const ours = new Registry()
  const histogram = new Histogram({
    name: NAME,
    help: HELP,
    labelNames: ['service', 'method', 'route', 'status'],
    buckets: HTTP_DURATION_BUCKETS,
    registers: [reference],
  })
  const fast = new RequestHistogram({
    name: NAME,
    help: HELP,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [ours],
  })
  const observeAll = (more: [RequestLabels, number][]) => {
    for (const [labels, seconds] of more) {
      histogram.observe(labels, seconds)
      fast.observe(labels, seconds)
    }
  }
  observeAll(observations)
  return { reference, ours, observeAll }
}

const get = (route: string, status = '200'): RequestLabels => ({
  service: 'core',
  method: 'GET',
  route,
  status,
})

// Values on bucket bounds, between them, below the first and above the last.
const OBSERVATIONS: [RequestLabels, number][] = [
  [get('/score'), 0.0001],
  [get('/score'), 0.0005],
  [get('/score'), 0.003],
  [get('/score', '503'), 0.25],
  [get('/analytics/:id'), 42],
  [get('/analytics/:id'), 10],
  [{ ...get('/score'), method: 'POST' }, 0.07],
  // New label sets under values seen before: exposed in the order first observed.
  [get('/score', '404'), 0.01],
  [{ ...get('/score'), service: 'edge' }, 0.002],
  [get('/score'), 0.004],
]

describe('RequestHistogram', () => {
  it('Should expose exactly what prom-client Histogram exposes for the same observations', async () => {
    const { reference, ours } = both(OBSERVATIONS)
    expect(await ours.metrics()).toBe(await reference.metrics())
  })

  it('Should aggregate across cluster workers as prom-client Histogram does', async () => {
    const first = both(OBSERVATIONS)
    const second = both(OBSERVATIONS.slice(2))
    const aggregate = async (registries: Registry[]) =>
      AggregatorRegistry.aggregate(
        await Promise.all(registries.map((r) => r.getMetricsAsJSON())),
      ).metrics()
    expect(await aggregate([first.ours, second.ours])).toBe(
      await aggregate([first.reference, second.reference]),
    )
  })

  it('Should start over after a registry reset', async () => {
    const { reference, ours, observeAll } = both(OBSERVATIONS)
    reference.resetMetrics()
    ours.resetMetrics()
    expect(await ours.metrics()).toBe(await reference.metrics())
    expect(await ours.metrics()).not.toContain('_count')
    // And counts from zero again.
    observeAll(OBSERVATIONS.slice(0, 3))
    expect(await ours.metrics()).toBe(await reference.metrics())
    expect(await ours.metrics()).toContain(
      `${NAME}_count{service="core",method="GET",route="/score",status="200"} 3`,
    )
  })
})
