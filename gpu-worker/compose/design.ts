/**
 * @module
 * The design handed to the compositor: raw RGB bytes as the SD pipeline makes
 * them (`GeneratedImage`). Checked here, before sharp sees them: sharp trusts
 * a raw header, so a wrong length would read past the data or fail obscurely.
 */
import { ComposeInputError } from './errors.ts'
import { MAX_INPUT_PIXELS } from './sharp-input.ts'

/** Raw interleaved RGB pixels, row-major (the shape of the SD pipeline's `GeneratedImage`). */
export interface RawDesign {
  width: number
  height: number
  /** Only RGB: an alpha channel would not survive the shading multiply as a transparent area. */
  channels: 3
  /** width * height * channels bytes. */
  data: Uint8Array
}

/**
 * Checks a design's size, channels and byte length.
 * @throws ComposeInputError naming what is wrong
 */
export function validateDesign(design: RawDesign): void {
  const { width, height, channels, data } = design
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new ComposeInputError(`design ${name} must be a positive integer; got ${value}`)
    }
  }
  if (width * height > MAX_INPUT_PIXELS) {
    throw new ComposeInputError(
      `design is ${width}x${height} = ${width * height} pixels; the limit is ${MAX_INPUT_PIXELS}`,
    )
  }
  if (channels !== 3) {
    throw new ComposeInputError(`design channels must be 3 (RGB); got ${channels}`)
  }
  if (!(data instanceof Uint8Array)) {
    throw new ComposeInputError('design data must be a Uint8Array')
  }
  const expected = width * height * channels
  if (data.byteLength !== expected) {
    throw new ComposeInputError(
      `design data is ${data.byteLength} bytes; ${width}x${height}x${channels} needs ${expected}`,
    )
  }
}
