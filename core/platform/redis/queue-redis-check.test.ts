import type { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { HealthDetail } from '../health.ts'
import { judgeQueueRedis, queueRedisCheck } from './queue-redis-check.ts'

describe('judgeQueueRedis', () => {
  it('Should find nothing wrong with noeviction and an append-only file', () => {
    expect(judgeQueueRedis({ maxmemoryPolicy: 'noeviction', appendonly: 'yes', save: '' })).toEqual(
      [],
    )
  })

  it('Should take RDB snapshots (a non-empty save) as persistence', () => {
    expect(
      judgeQueueRedis({ maxmemoryPolicy: 'noeviction', appendonly: 'no', save: '3600 1 300 100' }),
    ).toEqual([])
  })

  it('Should name an evicting policy', () => {
    const problems = judgeQueueRedis({
      maxmemoryPolicy: 'allkeys-lru',
      appendonly: 'yes',
      save: '',
    })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/maxmemory-policy is allkeys-lru, not noeviction/)
  })

  it('Should name missing persistence', () => {
    const problems = judgeQueueRedis({ maxmemoryPolicy: 'noeviction', appendonly: 'no', save: '' })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/persistence is off/)
  })

  it('Should name both problems, and unknown values as problems', () => {
    expect(judgeQueueRedis({})).toHaveLength(2)
  })
})

/** A Redis whose CONFIG GET answers from `values`, or fails with `error`. */
function fakeRedis(values: Record<string, string>, error?: Error): Redis {
  return {
    config: async (_sub: string, name: string) => {
      if (error) throw error
      return name in values ? [name, values[name]] : []
    },
  } as unknown as Redis
}

describe('queueRedisCheck', () => {
  const volatile = { 'maxmemory-policy': 'allkeys-lru', appendonly: 'no', save: '' }

  it('Should fail naming each problem and the setting that accepts them', async () => {
    const check = queueRedisCheck(fakeRedis(volatile), { allowVolatile: false })
    expect(check.name).toBe('queue-redis')
    await expect(check.check()).rejects.toThrow(
      /maxmemory-policy is allkeys-lru.*persistence is off.*QUEUE_REDIS_ALLOW_VOLATILE=true/,
    )
  })

  it('Should pass naming what is unsafe when QUEUE_REDIS_ALLOW_VOLATILE is set', async () => {
    const result = await queueRedisCheck(fakeRedis(volatile), { allowVolatile: true }).check()
    expect(result).toBeInstanceOf(HealthDetail)
    expect((result as HealthDetail).detail).toMatch(/accepted.*allkeys-lru.*persistence is off/)
  })

  it('Should pass saying it cannot verify when the server refuses CONFIG', async () => {
    const redis = fakeRedis(
      {},
      new Error("ERR unknown command 'CONFIG', with args beginning with:"),
    )
    const result = await queueRedisCheck(redis, { allowVolatile: false }).check()
    expect((result as HealthDetail).detail).toMatch(/cannot verify/)
  })

  it('Should fail when Redis does not answer', async () => {
    const redis = fakeRedis({}, new Error('Connection is closed.'))
    await expect(queueRedisCheck(redis, { allowVolatile: true }).check()).rejects.toThrow(
      /Connection is closed/,
    )
  })
})
