/** @module Helpers for the compositor tests: synthetic designs and decoding. */
import sharp from 'sharp'
import type { RawDesign } from '../../gpu-worker/compose/index.ts'

/** A design of one colour. */
export function solidDesign(
  width: number,
  height: number,
  rgb: [number, number, number],
): RawDesign {
  const data = new Uint8Array(width * height * 3)
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i)
  return { width, height, channels: 3, data }
}

/** Decoded RGB pixels of an encoded image, with its format as sharp reads it. */
export async function decode(encoded: Buffer) {
  const { format } = await sharp(encoded).metadata()
  const { data, info } = await sharp(encoded)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const at = (x: number, y: number): [number, number, number] => {
    const i = (y * info.width + x) * 3
    return [data[i]!, data[i + 1]!, data[i + 2]!]
  }
  return { format, width: info.width, height: info.height, channels: info.channels, data, at }
}

/** Whether a pixel reads as the design's red rather than the garment (white-ish) or letterbox. */
export function isRed([r, g, b]: [number, number, number]): boolean {
  return r > 100 && g < 40 && b < 40
}
