/**
 * The bull-board queue dashboard on core: behind an admin key (HTTP Basic for
 * browsers), listing the real queues with their jobs; state-changing requests
 * need a same-site Origin or X-Requested-By and are logged with the key name.
 */
import { randomUUID } from 'node:crypto'
import { Queue } from 'bullmq'
import { afterAll, describe, expect, it } from 'vitest'
import { createAccessPolicy } from '../../core/access/index.ts'
import { adminRoutes } from '../../core/admin/routes.ts'
import { createCoreApp } from '../../core/http/app.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { parseApiKeys } from '../../edge/auth/index.ts'
import { testRedisUrl } from '../support/env.ts'
import { memoryLogger } from '../support/logs.ts'

const prefix = `test-admin-${randomUUID().slice(0, 8)}`
const connection = createRedis(testRedisUrl(), { role: 'queue', name: 'admin-test' })
const queue = new Queue('mockups', { connection, prefix })
const keys = parseApiKeys('ops:ops-secret-0123456789,viewer:viewer-secret-0123456789')
const logger = memoryLogger()
const app = createCoreApp({
  logger,
  observe: () => {},
  apiKeys: keys,
  routes: [
    adminRoutes({
      queues: [queue],
      keys,
      access: createAccessPolicy({ keys, adminKeys: ['ops'] }),
      logger,
    }),
  ],
})
const basic = { Authorization: `Basic ${btoa('ops:ops-secret-0123456789')}` }
const pause = `/admin/queues/api/queues/mockups/pause`

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

describe('admin only, and no cross-site actions', () => {
  it('Should refuse a key that is not an admin key with 403 JSON', async () => {
    for (const scheme of [
      'Bearer viewer-secret-0123456789',
      `Basic ${btoa('x:viewer-secret-0123456789')}`,
    ]) {
      const res = await app.request('/admin/queues/api/queues', {
        headers: { Authorization: scheme },
      })
      expect(res.status, scheme).toBe(403)
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } })
    }
  })

  it('Should refuse a cross-site form post with cached credentials, nothing changed', async () => {
    const crossSite: Record<string, string>[] = [
      { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
      { Origin: 'null', 'Content-Type': 'application/x-www-form-urlencoded' },
      { 'Content-Type': 'application/json' },
    ]
    for (const headers of crossSite) {
      const res = await app.request(pause, { method: 'PUT', headers: { ...basic, ...headers } })
      expect(res.status, JSON.stringify(headers)).toBe(403)
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } })
    }
    expect(await queue.isPaused()).toBe(false)
    expect(logger.lines.some((line) => line.msg === 'admin action')).toBe(false)
  })

  it('Should take an action from the same site or with X-Requested-By, and log it with the key name', async () => {
    const sameSite = await app.request(`http://localhost${pause}`, {
      method: 'PUT',
      headers: { ...basic, Origin: 'https://localhost' },
    })
    expect(sameSite.status).toBe(200)
    expect(await queue.isPaused()).toBe(true)
    const resume = await app.request('/admin/queues/api/queues/mockups/resume', {
      method: 'PUT',
      headers: { ...basic, 'X-Requested-By': 'ops-script' },
    })
    expect(resume.status).toBe(200)
    expect(await queue.isPaused()).toBe(false)
    const actions = logger.lines.filter((line) => line.msg === 'admin action').map((l) => l.obj)
    expect(actions).toEqual([
      { key: 'ops', method: 'PUT', path: pause, status: 200 },
      { key: 'ops', method: 'PUT', path: '/admin/queues/api/queues/mockups/resume', status: 200 },
    ])
  })
})
