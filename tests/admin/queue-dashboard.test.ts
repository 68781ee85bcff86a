/**
 * The bull-board queue dashboard on core: behind an API key (HTTP Basic for
 * browsers), listing the real queues with their jobs.
 */
import { randomUUID } from 'node:crypto'
import { Queue } from 'bullmq'
import { afterAll, describe, expect, it } from 'vitest'
import { adminRoutes } from '../../core/admin/routes.ts'
import { createCoreApp } from '../../core/http/app.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { parseApiKeys } from '../../edge/auth/index.ts'
import { testRedisUrl } from '../support/env.ts'
import { memoryLogger } from '../support/logs.ts'

const prefix = `test-admin-${randomUUID().slice(0, 8)}`
const connection = createRedis(testRedisUrl(), { role: 'queue', name: 'admin-test' })
const queue = new Queue('mockups', { connection, prefix })
const app = createCoreApp({
  logger: memoryLogger(),
  observe: () => {},
  apiKeys: parseApiKeys('ops:ops-secret-0123456789'),
  routes: [adminRoutes({ queues: [queue], keys: parseApiKeys('ops:ops-secret-0123456789') })],
})
const basic = { Authorization: `Basic ${btoa('ops:ops-secret-0123456789')}` }

afterAll(async () => {
  await queue.obliterate({ force: true })
  await queue.close()
  connection.disconnect()
})

describe('queue dashboard', () => {
  it('Should ask for credentials and refuse wrong ones', async () => {
    const res = await app.request('/admin/queues')
    expect(res.status).toBe(401)
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Basic/)
    const wrong = await app.request('/admin/queues', {
      headers: { Authorization: `Basic ${btoa('ops:nope-nope-nope-nope')}` },
    })
    expect(wrong.status).toBe(401)
    expect((await app.request('/admin/queues/api/queues')).status).toBe(401)
  })

  it('Should serve the dashboard and list the queues with their jobs', async () => {
    await queue.add('mockup', { prompt: 'dashboard check' })
    const page = await app.request('/admin/queues', { headers: basic })
    expect(page.status).toBe(200)
    expect(page.headers.get('Content-Type')).toMatch(/text\/html/)
    const api = await app.request('/admin/queues/api/queues?activeQueue=mockups&status=waiting', {
      headers: basic,
    })
    expect(api.status).toBe(200)
    const body = (await api.json()) as { queues: { name: string; counts: { waiting: number } }[] }
    expect(body.queues.map((q) => q.name)).toEqual(['mockups'])
    expect(body.queues[0]!.counts.waiting).toBe(1)
  })
})
