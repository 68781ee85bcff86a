/**
 * @module
 * float32 <-> IEEE 754 binary16 conversion for fp16 model exports. Float16 values
 * travel as their bit patterns in a Uint16Array (what onnxruntime-node takes for
 * 'float16' on runtimes without Float16Array). Narrowing rounds to nearest, ties
 * to even, with subnormals, overflow to Infinity and NaN handled bit-exactly;
 * widening is one lookup in a 65536-entry table.
 */

const HALF_FROM_BITS = buildWideningTable()

/** The float16 bit pattern nearest to `value` (ties to even). */
export function toFloat16Bits(value: number): number {
  SCRATCH_F32[0] = value
  return narrow(SCRATCH_U32[0]!)
}

/** The value of a float16 bit pattern. */
export function fromFloat16Bits(bits: number): number {
  return HALF_FROM_BITS[bits & 0xffff]!
}

/**
 * Narrows `src` into `out` (allocated when not given).
 * @example
 * const half = float32ToFloat16(latents) // Uint16Array of float16 bits
 */
export function float32ToFloat16(src: Float32Array, out?: Uint16Array): Uint16Array {
  const target = out ?? new Uint16Array(src.length)
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length)
  for (let i = 0; i < bits.length; i++) target[i] = narrow(bits[i]!)
  return target
}

/** Widens float16 bits in `src` into `out` (allocated when not given). */
export function float16ToFloat32(src: Uint16Array, out?: Float32Array): Float32Array {
  const target = out ?? new Float32Array(src.length)
  for (let i = 0; i < src.length; i++) target[i] = HALF_FROM_BITS[src[i]!]!
  return target
}

const SCRATCH_F32 = new Float32Array(1)
const SCRATCH_U32 = new Uint32Array(SCRATCH_F32.buffer)

/** float32 bits -> float16 bits, round to nearest even. */
function narrow(x: number): number {
  const sign = (x >>> 16) & 0x8000
  const exponent = (x >>> 23) & 0xff
  const mantissa = x & 0x7fffff
  // Infinity stays Infinity; NaN stays a (quiet) NaN.
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 | (mantissa >>> 13) : 0)
  const e = exponent - 112 // rebias 127 -> 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    // Below 2^-25 everything rounds to zero (2^-25 itself ties to the even 0).
    if (e < -10) return sign
    const full = mantissa | 0x800000
    const shift = 14 - e
    const half = 1 << (shift - 1)
    return sign | ((full + half - 1 + ((full >>> shift) & 1)) >>> shift)
  }
  // A carry out of the mantissa bumps the exponent, up to Infinity: still correct.
  const rounded = mantissa + 0xfff + ((mantissa >>> 13) & 1)
  return sign | ((e << 10) + (rounded >>> 13))
}

function buildWideningTable(): Float32Array {
  const table = new Float32Array(65536)
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1
    const exponent = (bits >>> 10) & 0x1f
    const mantissa = bits & 0x3ff
    if (exponent === 0) table[bits] = sign * mantissa * 2 ** -24
    else if (exponent === 0x1f)
      table[bits] = mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY
    else table[bits] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
  }
  return table
}
