import { describe, expect, it } from 'vitest'
import { configRefused, judgeQueueRedis } from './queue-redis-check.ts'

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

describe('configRefused', () => {
  it('Should tell a server that refuses CONFIG from one that is away', () => {
    expect(
      configRefused(new Error("ERR unknown command 'CONFIG', with args beginning with:")),
    ).toBe(true)
    expect(
      configRefused(new Error("NOPERM this user has no permissions to run the 'config' command")),
    ).toBe(true)
    expect(configRefused(new Error('Connection is closed.'))).toBe(false)
    expect(configRefused(new Error('connect ECONNREFUSED 127.0.0.1:6390'))).toBe(false)
  })
})
