import { describe, expect, it } from 'vitest'
import { cropMaskAsAlpha, cropRaw, maskBounds } from './raw-pixels.ts'

// A 4x3 image whose byte at (x, y), channel c is 10*y + x + 100*c.
function ramp(channels: number): Buffer {
  const out = Buffer.alloc(4 * 3 * channels)
  for (let y = 0; y < 3; y++) {
    for (let x = 0; x < 4; x++) {
      for (let c = 0; c < channels; c++) out[(y * 4 + x) * channels + c] = 10 * y + x + 100 * c
    }
  }
  return out
}

describe('cropRaw', () => {
  it('Should copy the rows of the rectangle', () => {
    const crop = cropRaw(ramp(2), 4, 2, { left: 1, top: 1, width: 2, height: 2 })
    expect([...crop]).toEqual([11, 111, 12, 112, 21, 121, 22, 122])
  })
})

describe('cropMaskAsAlpha', () => {
  it('Should pair a white grey with the mask value as alpha', () => {
    const crop = cropMaskAsAlpha(ramp(1), 4, { left: 2, top: 0, width: 2, height: 2 })
    expect([...crop]).toEqual([255, 2, 255, 3, 255, 12, 255, 13])
  })
})

describe('maskBounds', () => {
  it('Should bound the non-zero pixels', () => {
    const mask = Buffer.alloc(4 * 3)
    mask[1 * 4 + 1] = 1
    mask[2 * 4 + 2] = 255
    expect(maskBounds(mask, 4, 3)).toEqual({ left: 1, top: 1, width: 2, height: 2 })
  })

  it('Should refuse an empty mask', () => {
    expect(() => maskBounds(Buffer.alloc(12), 4, 3)).toThrow(/empty/)
  })
})
