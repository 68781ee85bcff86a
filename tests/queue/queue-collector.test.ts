/**
 * `bullmq_queue_length{queue,state}` against a real backlog (jobs added with
 * no worker running: waiting, delayed, prioritized, one taken active and one
 * failed by hand), and the collector's behaviour when Redis stops answering.
 */
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { Queue, Worker } from 'bullmq'
import { AggregatorRegistry, Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import { registerRedisQueueCollector } from '../../core/platform/metrics/index.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { testRedisUrl } from '../support/env.ts'
import { startTcpProxy } from '../support/tcp-proxy.ts'

const prefix = `test-collector-${randomUUID().slice(0, 8)}`
const queueRole = createRedis(testRedisUrl(), { role: 'queue', name: 'test-collector-queue' })
const cacheRole = createRedis(testRedisUrl(), { role: 'cache', name: 'test-collector-read' })
const busy = new Queue('busy', { connection: queueRole, prefix })
const idle = new Queue('idle', { connection: queueRole, prefix })
const taker = new Worker('busy', null, { connection: queueRole, prefix, autorun: false })

beforeAll(async () => {
  await busy.addBulk(Array.from({ length: 5 }, (_, i) => ({ name: 'w', data: { i } })))
  await busy.addBulk(
    Array.from({ length: 3 }, (_, i) => ({ name: 'd', data: { i }, opts: { delay: 3_600_000 } })),
  )
  await busy.addBulk(
    Array.from({ length: 4 }, (_, i) => ({ name: 'p', data: { i }, opts: { priority: i + 1 } })),
  )
  // One job failed (out of attempts: the default is one), then one left active,
  // as if a worker had taken them.
  const failing = await taker.getNextJob('test-token')
  await failing?.moveToFailed(new Error('boom'), 'test-token')
  expect(await taker.getNextJob('test-token')).toBeDefined()
})

afterAll(async () => {
  const steps = [
    () => taker.close(true),
    () => busy.obliterate({ force: true }),
    () => idle.obliterate({ force: true }),
    () => busy.close(),
    () => idle.close(),
    () => queueRole.quit(),
    () => cacheRole.quit(),
  ]
  for (const step of steps) await step().catch(() => {})
})

async function scrape(registry: Registry) {
  return parsePrometheusText(await registry.metrics())
}

describe('registerRedisQueueCollector', () => {
  it('Should report the real backlog of every queue and state in one scrape', async () => {
    const registry = new Registry()
    registerRedisQueueCollector(registry, ['busy', 'idle'], { redis: cacheRole, prefix })
    const families = await scrape(registry)
    const counts = await busy.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed')
    expect(counts).toEqual({ wait: 3, prioritized: 4, delayed: 3, active: 1, failed: 1 })
    for (const [state, count] of Object.entries(counts)) {
      expect(sampleValue(families, 'bullmq_queue_length', { queue: 'busy', state })).toBe(count)
      expect(sampleValue(families, 'bullmq_queue_length', { queue: 'idle', state })).toBe(0)
    }
    expect(families.get('bullmq_queue_length')?.type).toBe('gauge')
    expect(sampleValue(families, 'bullmq_queue_collector_errors_total')).toBe(0)
  })

  it('Should follow the backlog from one scrape to the next', async () => {
    const registry = new Registry()
    registerRedisQueueCollector(registry, ['idle'], { redis: cacheRole, prefix })
    await idle.add('x', {})
    expect(
      sampleValue(await scrape(registry), 'bullmq_queue_length', { queue: 'idle', state: 'wait' }),
    ).toBe(1)
    await idle.drain()
    expect(
      sampleValue(await scrape(registry), 'bullmq_queue_length', { queue: 'idle', state: 'wait' }),
    ).toBe(0)
  })

  it('Should aggregate across cluster workers with max, not sum', async () => {
    const registry = new Registry()
    registerRedisQueueCollector(registry, ['busy'], { redis: cacheRole, prefix })
    const perWorker = [await registry.getMetricsAsJSON(), await registry.getMetricsAsJSON()]
    const aggregated = await AggregatorRegistry.aggregate(perWorker).metrics()
    const families = parsePrometheusText(aggregated)
    expect(sampleValue(families, 'bullmq_queue_length', { queue: 'busy', state: 'wait' })).toBe(3)
  })

  it('Should count an error and export no stale lengths when Redis stops answering', async () => {
    const proxy = await startTcpProxy(Number(new URL(testRedisUrl()).port || 6379))
    // A queue-role connection would wait forever: the collector's own deadline must end the scrape.
    const redis = createRedis(proxy.through(testRedisUrl()), {
      role: 'queue',
      name: 'test-stalled',
    })
    try {
      await once(redis, 'ready')
      const registry = new Registry()
      registerRedisQueueCollector(registry, ['busy'], { redis, prefix, timeoutMs: 300 })
      const healthy = await scrape(registry)
      expect(sampleValue(healthy, 'bullmq_queue_length', { queue: 'busy', state: 'wait' })).toBe(3)

      proxy.stall()
      const stalled = await scrape(registry)
      expect(stalled.get('bullmq_queue_length')?.samples).toEqual([])
      expect(sampleValue(stalled, 'bullmq_queue_collector_errors_total')).toBe(1)
      // Other metrics of the registry still come out of the same scrape.
      expect(stalled.has('bullmq_queue_collector_errors_total')).toBe(true)

      proxy.cut()
      const cut = await scrape(registry)
      expect(cut.get('bullmq_queue_length')?.samples).toEqual([])
      expect(sampleValue(cut, 'bullmq_queue_collector_errors_total')).toBe(2)
    } finally {
      redis.disconnect()
      await proxy.close()
    }
  })
})
