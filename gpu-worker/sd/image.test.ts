import { describe, expect, it } from 'vitest'
import { applyGuidance, guidanceEmbedding } from './guidance.ts'
import { planarToRgb } from './image.ts'

describe('planarToRgb', () => {
  it('Should interleave channels as round(clamp(x / 2 + 0.5, 0, 1) * 255)', () => {
    // 2x1 image: channel planes [r0, r1], [g0, g1], [b0, b1].
    const planar = Float32Array.from([-1, 1, 0, 0.5, -3, 0.002, Number.NaN, 0])
    const values = [-1, 1, 0, 0.5, -3, 0.002]
    const expected = [0, 2, 4, 1, 3, 5].map((i) =>
      Math.round(Math.min(1, Math.max(0, values[i]! / 2 + 0.5)) * 255),
    )
    expect(Array.from(planarToRgb(planar, 2, 1))).toEqual(expected)
    expect(Array.from(planarToRgb(planar, 2, 1))).toEqual([0, 128, 0, 255, 191, 128])
  })

  it('Should refuse a decoder output smaller than the image', () => {
    expect(() => planarToRgb(new Float32Array(5), 2, 1)).toThrow(/expected 3 x 2 x 1/)
  })
})

describe('guidance', () => {
  it('Should mix uncond + scale * (cond - uncond)', () => {
    const out = new Float32Array(2)
    applyGuidance(Float32Array.from([1, 2, 3, 6]), 7.5, out)
    expect(Array.from(out)).toEqual([1 + 7.5 * 2, 2 + 7.5 * 4])
  })

  it("Should embed the LCM guidance scale as diffusers' get_guidance_scale_embedding", () => {
    const emb = guidanceEmbedding(8.5, 256)
    const w = 7.5 * 1000
    const rate = Math.log(10000) / 127
    expect(emb[0]).toBeCloseTo(Math.sin(w), 5)
    expect(emb[128]).toBeCloseTo(Math.cos(w), 5)
    expect(emb[10]).toBeCloseTo(Math.sin(w * Math.exp(-rate * 10)), 5)
    expect(guidanceEmbedding(1, 4)).toEqual(Float32Array.from([0, 0, 1, 1]))
  })
})
