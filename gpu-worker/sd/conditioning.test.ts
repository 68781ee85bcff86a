import { describe, expect, it } from 'vitest'
import { concatFeatures, repeatBatch, sdxlTimeIds, withZeroNegative } from './conditioning.ts'

describe('SDXL conditioning', () => {
  it('Should concatenate per-token features of the two encoders', () => {
    // Two rows: widths 2 and 3.
    const a = Float32Array.of(1, 2, 3, 4)
    const b = Float32Array.of(10, 20, 30, 40, 50, 60)
    expect(Array.from(concatFeatures([a, b], [2, 3], 2))).toEqual([
      1, 2, 10, 20, 30, 3, 4, 40, 50, 60,
    ])
  })

  it('Should put zeros before the conditional half for an empty negative prompt', () => {
    expect(Array.from(withZeroNegative(Float32Array.of(1, 2)))).toEqual([0, 0, 1, 2])
  })

  it('Should build time_ids as (height, width, 0, 0, height, width) and repeat them per batch', () => {
    const ids = sdxlTimeIds(1024, 768, 6)
    expect(Array.from(repeatBatch(ids, 2))).toEqual([
      768, 1024, 0, 0, 768, 1024, 768, 1024, 0, 0, 768, 1024,
    ])
    expect(() => sdxlTimeIds(64, 64, 5)).toThrow(/time_ids has width 5; SDXL uses 6/)
  })
})
