import { describe, expect, it } from 'vitest'
import { boundedMemo } from './memo.ts'

describe('boundedMemo', () => {
  it('Should compute each argument once while it is remembered', () => {
    const calls: string[] = []
    const upper = boundedMemo((text) => {
      calls.push(text)
      return text.toUpperCase()
    }, 10)
    expect([upper('a'), upper('b'), upper('a')]).toEqual(['A', 'B', 'A'])
    expect(calls).toEqual(['a', 'b'])
  })

  it('Should forget everything once full, never holding more than max', () => {
    const calls: string[] = []
    const same = boundedMemo((text) => {
      calls.push(text)
      return text
    }, 2)
    same('a')
    same('b')
    same('c') // full: starts over with c
    same('a')
    same('c')
    expect(calls).toEqual(['a', 'b', 'c', 'a'])
  })

  it('Should not remember a call that throws', () => {
    let tries = 0
    const failing = boundedMemo(() => {
      tries++
      throw new Error('bad')
    }, 10)
    expect(() => failing('x')).toThrow('bad')
    expect(() => failing('x')).toThrow('bad')
    expect(tries).toBe(2)
  })
})
