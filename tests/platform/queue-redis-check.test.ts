/**
 * The queue Redis's readiness check against real servers (a private Redis,
 * never the shared one's settings): one without persistence and with an
 * evicting policy fails naming both; one with an append-only file passes.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runHealthChecks } from '../../core/platform/health.ts'
import { queueRedisCheck } from '../../core/platform/redis/index.ts'
import { type PrivateRedis, startPrivateRedis } from '../../scripts/dev/embedded/index.ts'

describe('queue Redis readiness', () => {
  let dir: string
  const servers: PrivateRedis[] = []
  const clients: Redis[] = []

  async function connect(persist: boolean): Promise<Redis> {
    const server = await startPrivateRedis({ dir: join(dir, String(servers.length)), persist })
    servers.push(server)
    const client = new Redis(server.url)
    clients.push(client)
    return client
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'queue-redis-check-'))
  })

  afterAll(async () => {
    for (const client of clients) client.disconnect()
    for (const server of servers) await server.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('Should report not ready naming both problems, and ready when accepted', async () => {
    const redis = await connect(false)
    // Our own private server: an evicting policy on top of no persistence.
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru')

    const refused = await runHealthChecks([queueRedisCheck(redis, { allowVolatile: false })])
    expect(refused.ready).toBe(false)
    const error = refused.checks['queue-redis']?.error
    expect(error).toMatch(/maxmemory-policy is allkeys-lru/)
    expect(error).toMatch(/persistence is off/)
    expect(error).toMatch(/QUEUE_REDIS_ALLOW_VOLATILE/)

    const accepted = await runHealthChecks([queueRedisCheck(redis, { allowVolatile: true })])
    expect(accepted.ready).toBe(true)
    expect(accepted.checks['queue-redis']?.detail).toMatch(/accepted.*persistence is off/)
  })

  it('Should report not ready when the queue Redis does not answer, whatever the setting', async () => {
    const server = await startPrivateRedis({ dir: join(dir, 'gone') })
    await server.stop()
    const redis = new Redis(server.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    })
    redis.on('error', () => {})
    clients.push(redis)
    const report = await runHealthChecks([queueRedisCheck(redis, { allowVolatile: true })])
    expect(report.ready).toBe(false)
    expect(report.checks['queue-redis']?.error).toBeTruthy()
  })

  it("Should report ready with an append-only file and noeviction (npm start's Redis)", async () => {
    const redis = await connect(true)
    const report = await runHealthChecks([queueRedisCheck(redis, { allowVolatile: false })])
    expect(report).toMatchObject({ ready: true, checks: { 'queue-redis': { ok: true } } })
    expect(report.checks['queue-redis']?.detail).toBe('noeviction, persistent')
  })
})
