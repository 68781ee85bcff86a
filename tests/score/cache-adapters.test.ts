/**
 * The three KeyValueCache adapters against one contract, on real backends:
 * ioredis on the shared test Redis, @upstash/redis through the local Upstash
 * bridge, and the memory cache. Each test keys under a prefix of its own.
 */
import { randomUUID } from 'node:crypto'
import { Redis as IORedis } from 'ioredis'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ioredisCache } from '../../core/edge-host/adapters/ioredis-cache.ts'
import { memoryCache, upstashCache } from '../../edge/adapters/index.ts'
import type { KeyValueCache } from '../../edge/cache/index.ts'
import { startUpstashBridge, type UpstashBridge } from '../../scripts/dev/bridges/index.ts'
import { testRedisUrl } from '../support/env.ts'

const prefix = `test:cache-adapters:${randomUUID()}:`
const token = `token-${randomUUID()}`
let bridge: UpstashBridge
let direct: IORedis
let prefixed: IORedis

beforeAll(async () => {
  bridge = await startUpstashBridge({
    redisUrl: testRedisUrl(),
    token,
    logger: pino({ level: 'silent' }),
  })
  direct = new IORedis(testRedisUrl())
  prefixed = new IORedis(testRedisUrl(), { keyPrefix: `${prefix}ioredis:` })
})

afterAll(async () => {
  const keys = await direct.keys(`${prefix}*`)
  if (keys.length > 0) await direct.del(...keys)
  direct.disconnect()
  prefixed.disconnect()
  await bridge.close()
})

const adapters: [string, () => KeyValueCache][] = [
  ['memory', () => memoryCache()],
  ['ioredis', () => ioredisCache(prefixed)],
  ['upstash', () => upstashCache({ url: bridge.url, token, keyPrefix: `${prefix}upstash:` })],
]

describe.each(adapters)('%s cache', (name, make) => {
  it('Should give a claim to one of many concurrent callers, and again once it expired', async () => {
    const cache = make()
    const lock = `lock:${randomUUID()}`
    const claims = await Promise.all(Array.from({ length: 20 }, () => cache.claim(lock, 200)))
    expect(claims.filter(Boolean)).toHaveLength(1)
    // A second instance stands for another process sharing the backend.
    expect(await make().claim(lock, 200)).toBe(name === 'memory')
    let again = false
    while (!again) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      again = await cache.claim(lock, 200)
    }
    expect(again).toBe(true)
  })

  it('Should keep a claim apart from the value of another key', async () => {
    const cache = make()
    await cache.set('value', 'v', 60)
    expect(await cache.claim('value:refresh', 1_000)).toBe(true)
    expect(await cache.get('value')).toBe('v')
    expect(await cache.claim('value:refresh', 1_000)).toBe(false)
  })
})

it('Should write the claim as SET NX PX, expiring on its own', async () => {
  const cache = upstashCache({ url: bridge.url, token, keyPrefix: `${prefix}upstash:` })
  expect(await cache.claim('pexpire', 60_000)).toBe(true)
  const ttl = await direct.pttl(`${prefix}upstash:pexpire`)
  expect(ttl).toBeGreaterThan(0)
  expect(ttl).toBeLessThanOrEqual(60_000)
})
