import { describe, expect, it } from 'vitest'
import { memoryCache } from './memory-cache.ts'

describe('memoryCache', () => {
  it('Should return what was set until it expires', async () => {
    let now = 0
    const cache = memoryCache({ now: () => now })
    expect(await cache.get('k')).toBeNull()
    await cache.set('k', 'v', 2)
    now = 1999
    expect(await cache.get('k')).toBe('v')
    now = 2000
    expect(await cache.get('k')).toBeNull()
  })

  it('Should drop the oldest entry beyond maxEntries, counting a rewrite as new', async () => {
    const cache = memoryCache({ maxEntries: 2 })
    await cache.set('a', '1', 60)
    await cache.set('b', '2', 60)
    await cache.set('a', '3', 60)
    await cache.set('c', '4', 60)
    expect(await cache.get('b')).toBeNull()
    expect(await cache.get('a')).toBe('3')
    expect(await cache.get('c')).toBe('4')
  })

  it('Should give a claim to its first caller until it expires', async () => {
    let now = 0
    const cache = memoryCache({ now: () => now })
    expect(await cache.claim('lock', 100)).toBe(true)
    now = 99
    expect(await cache.claim('lock', 100)).toBe(false)
    now = 100
    expect(await cache.claim('lock', 100)).toBe(true)
  })
})
