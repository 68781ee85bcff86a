import { describe, expect, it } from 'vitest'
import { L1Cache } from './l1.ts'

describe('L1Cache', () => {
  it('Should expire entries after ttlMs', () => {
    let t = 0
    const cache = new L1Cache<string>({ maxEntries: 10, ttlMs: 100, now: () => t })
    cache.set('a', 'A')
    t = 99
    expect(cache.get('a')).toBe('A')
    t = 100
    expect(cache.get('a')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('Should evict the least recently used entry when full', () => {
    const cache = new L1Cache<number>({ maxEntries: 2, ttlMs: 1000 })
    cache.set('a', 1)
    cache.set('b', 2)
    cache.get('a') // a is now the most recent
    cache.set('c', 3)
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBe(1)
    expect(cache.get('c')).toBe(3)
    expect(cache.size).toBe(2)
  })

  it('Should refuse a zero size or ttl', () => {
    expect(() => new L1Cache({ maxEntries: 0, ttlMs: 1 })).toThrow(/maxEntries > 0/)
    expect(() => new L1Cache({ maxEntries: 1, ttlMs: 0 })).toThrow(/ttlMs > 0/)
  })
})
