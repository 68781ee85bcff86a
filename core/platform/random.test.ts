import { describe, expect, it } from 'vitest'
import { SeededRandom } from './random.ts'

describe('SeededRandom', () => {
  it('Should repeat its stream for a seed and differ between seeds', () => {
    const draw = (seed: number) => {
      const out = new Float32Array(64)
      new SeededRandom(seed).fill(out)
      return Array.from(out)
    }
    expect(draw(7)).toEqual(draw(7))
    expect(draw(7)).not.toEqual(draw(8))
    // The high bits of a large seed count too.
    expect(draw(2 ** 40)).not.toEqual(draw(0))
  })

  it('Should draw standard normal values', () => {
    const out = new Float32Array(200_000)
    new SeededRandom(1).fill(out)
    let sum = 0
    let squares = 0
    for (const v of out) {
      sum += v
      squares += v * v
    }
    const mean = sum / out.length
    expect(Math.abs(mean)).toBeLessThan(0.01)
    expect(squares / out.length - mean * mean).toBeCloseTo(1, 1)
    expect(out.every(Number.isFinite)).toBe(true)
  })

  it('Should refuse seeds that are not non-negative safe integers', () => {
    expect(() => new SeededRandom(-1)).toThrow(/seed/)
    expect(() => new SeededRandom(1.5)).toThrow(/seed/)
  })
})
