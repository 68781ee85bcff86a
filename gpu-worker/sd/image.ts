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
  // Pixel by pixel, so the output is written in order. (x / 2 + 0.5) * 255 + 0.5 is
  // x * 127.5 + 128: storing it, clamped to [0, 255], truncates, which is Math.round
  // without the call. Math.min/max compile to branchless instructions, which matters on
  // noisy images; a NaN stores as 0.
  for (let p = 0, o = 0; p < plane; p++, o += 3) {
    rgb[o] = Math.min(255, Math.max(0, planar[p]! * 127.5 + 128))
    rgb[o + 1] = Math.min(255, Math.max(0, planar[plane + p]! * 127.5 + 128))
    rgb[o + 2] = Math.min(255, Math.max(0, planar[2 * plane + p]! * 127.5 + 128))
  }
  return rgb
}
