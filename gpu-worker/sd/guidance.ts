/**
 * @module
 * The two ways guidance reaches the UNet: classifier-free guidance mixes an
 * unconditional and a conditional prediction; LCM models instead take the scale
 * as an embedding (`timestep_cond`) and run once.
 */

/**
 * `out = uncond + scale * (cond - uncond)`, where `batch` holds the unconditional
 * prediction in its first half and the conditional one in the second.
 */
export function applyGuidance(batch: Float32Array, scale: number, out: Float32Array): void {
  const n = out.length
  for (let i = 0; i < n; i++) {
    const u = batch[i]!
    out[i] = u + scale * (batch[n + i]! - u)
  }
}

/**
 * diffusers' `get_guidance_scale_embedding(w = scale - 1)`: sinusoidal features of
 * 1000 * w, sines then cosines (zero-padded to an odd `dim`).
 */
export function guidanceEmbedding(scale: number, dim: number): Float32Array {
  const w = (scale - 1) * 1000
  const half = Math.floor(dim / 2)
  const out = new Float32Array(dim)
  const rate = Math.log(10000) / (half - 1)
  for (let i = 0; i < half; i++) {
    const angle = w * Math.exp(-rate * i)
    out[i] = Math.sin(angle)
    out[half + i] = Math.cos(angle)
  }
  return out
}
