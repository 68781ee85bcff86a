/**
 * @module
 * Seeded randomness, shared by the SD pipeline (latent noise) and the data
 * generators. The same seed gives the same stream on every machine and every
 * run: xoshiro128** (32-bit integer arithmetic only, so no platform float
 * differences) seeded through splitmix32, and Box-Muller for the normal draws.
 */
const TWO_PI = 2 * Math.PI
const TWO_POW_32 = 4294967296

/** A seeded stream of uniform and standard normal numbers. */
export class SeededRandom {
  private s0: number
  private s1: number
  private s2: number
  private s3: number
  private spare = 0
  private hasSpare = false

  /** @param seed a non-negative safe integer; all 53 bits count */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new Error(`seed must be a non-negative safe integer, got ${seed}`)
    }
    // splitmix32 over both halves of the seed fills the 128-bit state (never all zero).
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32), 0x9e3779b9)
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.s0 = next()
    this.s1 = next()
    this.s2 = next()
    this.s3 = next()
  }

  /** The next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** A uniform number in (0, 1]: never 0, so that log() in Box-Muller stays finite. */
  uniform(): number {
    return (this.nextUint32() + 1) / TWO_POW_32
  }

  /** One N(0, 1) sample; Box-Muller makes two, the second is kept for the next call. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false
      return this.spare
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniform()))
    const angle = TWO_PI * this.uniform()
    this.spare = radius * Math.sin(angle)
    this.hasSpare = true
    return radius * Math.cos(angle)
  }

  /** Fills `out` with N(0, 1) samples. */
  fill(out: Float32Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.normal()
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
