import { describe, expect, it } from 'vitest'
import { float16ToFloat32, float32ToFloat16, fromFloat16Bits, toFloat16Bits } from './float16.ts'

// Reference bit patterns from the IEEE 754 binary16 definition (as numpy.float16 gives them).
const NARROWING: [number, number][] = [
  [0, 0x0000],
  [-0, 0x8000],
  [1, 0x3c00],
  [-2, 0xc000],
  [0.5, 0x3800],
  [0.1, 0x2e66],
  [1 / 3, 0x3555],
  [65504, 0x7bff], // largest normal
  [65519.99, 0x7bff],
  [65520, 0x7c00], // halfway to 2^16: ties to even, which is Infinity
  [1e10, 0x7c00],
  [-1e10, 0xfc00],
  [Number.POSITIVE_INFINITY, 0x7c00],
  [Number.NEGATIVE_INFINITY, 0xfc00],
  [2 ** -14, 0x0400], // smallest normal
  [2 ** -24, 0x0001], // smallest subnormal
  [6.097555160522461e-5, 0x03ff], // largest subnormal
  [2 ** -25, 0x0000], // half the smallest subnormal: ties to even (0)
  [2 ** -25 * 1.001, 0x0001],
  [3 * 2 ** -25, 0x0002], // 1.5 units: ties to even (2)
  [-5 * 2 ** -25, 0x8002], // 2.5 units: ties to even (2)
  [2 ** -26, 0x0000],
  [1e-45, 0x0000], // a float32 subnormal
  [1 + 2 ** -11, 0x3c00], // halfway between 1 and the next: even (1)
  [1 + 3 * 2 ** -11, 0x3c02], // halfway: even (1 + 2^-9)
  [2047 / 1024 + 2 ** -11, 0x4000], // mantissa carry into the exponent
]

describe('float16 conversion', () => {
  it('Should narrow reference values with round-to-nearest-even', () => {
    for (const [value, bits] of NARROWING) {
      expect(toFloat16Bits(value).toString(16), String(value)).toBe(bits.toString(16))
    }
  })

  it('Should keep NaN a NaN both ways', () => {
    const bits = toFloat16Bits(Number.NaN)
    expect(bits & 0x7c00).toBe(0x7c00)
    expect(bits & 0x3ff).not.toBe(0)
    expect(fromFloat16Bits(0x7e00)).toBeNaN()
    expect(fromFloat16Bits(0xfc01)).toBeNaN()
  })

  it('Should widen reference bit patterns exactly', () => {
    expect(fromFloat16Bits(0x3c00)).toBe(1)
    expect(fromFloat16Bits(0xc000)).toBe(-2)
    expect(fromFloat16Bits(0x7bff)).toBe(65504)
    expect(fromFloat16Bits(0x0001)).toBe(2 ** -24)
    expect(fromFloat16Bits(0x03ff)).toBe(1023 * 2 ** -24)
    expect(fromFloat16Bits(0x0400)).toBe(2 ** -14)
    expect(Object.is(fromFloat16Bits(0x8000), -0)).toBe(true)
    expect(fromFloat16Bits(0x7c00)).toBe(Number.POSITIVE_INFINITY)
    expect(fromFloat16Bits(0xfc00)).toBe(Number.NEGATIVE_INFINITY)
  })

  it('Should round-trip every non-NaN float16 through float32', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i)
    const back = float32ToFloat16(float16ToFloat32(all))
    for (let i = 0; i < 65536; i++) {
      const nan = (i & 0x7c00) === 0x7c00 && (i & 0x3ff) !== 0
      if (!nan && back[i] !== i) expect(back[i]!.toString(16)).toBe(i.toString(16))
    }
  })

  it('Should pick the nearer neighbour for values between two float16s', () => {
    // Exhaustive over every float16 interval in [2^-24, 65504]: points at 1/4 and 3/4.
    const wrong: number[] = []
    for (let bits = 1; bits < 0x7bff; bits++) {
      const lo = fromFloat16Bits(bits)
      const hi = fromFloat16Bits(bits + 1)
      if (toFloat16Bits(lo + (hi - lo) / 4) !== bits) wrong.push(bits)
      if (toFloat16Bits(lo + ((hi - lo) * 3) / 4) !== bits + 1) wrong.push(bits)
    }
    expect(wrong).toEqual([])
  })

  it('Should convert arrays into a given buffer, including a view at an offset', () => {
    const backing = new Float32Array([9, 1, -2, 0.5])
    const view = backing.subarray(1)
    const out = new Uint16Array(3)
    expect(float32ToFloat16(view, out)).toBe(out)
    expect([...out]).toEqual([0x3c00, 0xc000, 0x3800])
    expect([...float16ToFloat32(out)]).toEqual([1, -2, 0.5])
  })
})
