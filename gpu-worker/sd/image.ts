/**
 * @module
 * VAE output to pixels: planar float [1, 3, H, W] in about [-1, 1] to
 * interleaved RGB bytes, as diffusers' `(x / 2 + 0.5).clamp(0, 1) * 255`, rounded.
 */

/**
 * Converts the decoder's first image to RGB bytes.
 * @param planar at least 3 * width * height floats, channel-major
 */
export function planarToRgb(planar: Float32Array, width: number, height: number): Uint8Array {
  const plane = width * height
  if (planar.length < 3 * plane) {
    throw new Error(`VAE output has ${planar.length} values; expected 3 x ${width} x ${height}`)
  }
  const rgb = new Uint8Array(3 * plane)
  for (let c = 0; c < 3; c++) {
    const base = c * plane
    for (let p = 0; p < plane; p++) {
      // Storing y + 0.5 (y in [0, 255]) into a Uint8Array truncates it: Math.round(y) without
      // the call, which keeps this 786k-element loop cheap. A NaN stores as 0.
      rgb[p * 3 + c] = Math.min(1, Math.max(0, planar[base + p]! / 2 + 0.5)) * 255 + 0.5
    }
  }
  return rgb
}
