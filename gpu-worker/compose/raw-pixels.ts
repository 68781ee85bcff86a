/**
 * @module
 * Small operations on raw row-major pixel buffers that would cost a whole sharp
 * pipeline each: cutting a rectangle out of a cached template layer, and
 * finding the bounding box of a mask.
 */
import type { Rect } from './fit.ts'

/**
 * Copies `rect` out of a raw buffer `srcWidth` pixels wide with `channels` bytes per pixel.
 * @param rect must lie inside the source
 */
export function cropRaw(src: Buffer, srcWidth: number, channels: number, rect: Rect): Buffer {
  const rowBytes = rect.width * channels
  const out = Buffer.allocUnsafe(rowBytes * rect.height)
  for (let y = 0; y < rect.height; y++) {
    const start = ((rect.top + y) * srcWidth + rect.left) * channels
    src.copy(out, y * rowBytes, start, start + rowBytes)
  }
  return out
}

/**
 * Cuts `rect` out of a one-channel mask as grey + alpha pixels (grey white, alpha the mask):
 * a sharp `dest-in` overlay reads only the overlay's alpha, and a one-channel raw overlay has none.
 */
export function cropMaskAsAlpha(mask: Buffer, maskWidth: number, rect: Rect): Buffer {
  const out = Buffer.allocUnsafe(rect.width * rect.height * 2)
  let o = 0
  for (let y = 0; y < rect.height; y++) {
    let i = (rect.top + y) * maskWidth + rect.left
    for (let x = 0; x < rect.width; x++, i++) {
      out[o++] = 255
      out[o++] = mask[i]!
    }
  }
  return out
}

/**
 * The smallest rectangle holding every non-zero pixel of a one-channel mask.
 * @throws Error for an empty mask (a template without a print area is a bug)
 */
export function maskBounds(mask: Buffer, width: number, height: number): Rect {
  let minX = width
  let minY = height
  let maxX = -1
  let maxY = -1
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      if (mask[row + x] === 0) continue
      if (x < minX) minX = x
      if (x > maxX) maxX = x
      if (y < minY) minY = y
      maxY = y
    }
  }
  if (maxX < 0) throw new Error('the print-area mask is empty')
  return { left: minX, top: minY, width: maxX - minX + 1, height: maxY - minY + 1 }
}
