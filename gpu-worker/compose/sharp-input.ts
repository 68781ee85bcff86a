/**
 * @module
 * The one place the compositor opens images with sharp. Every read carries
 * `limitInputPixels`, so an image that declares a huge size is refused before
 * libvips allocates for it; a test checks no other module calls `sharp()`.
 */
import sharp, { type Sharp, type SharpOptions } from 'sharp'

export type { OverlayOptions } from 'sharp'

/** Largest image, in pixels, the compositor reads: 4096 x 4096. */
export const MAX_INPUT_PIXELS = 4096 * 4096

/** Read options every sharp input gets, overlays included. */
export const INPUT_LIMITS = { limitInputPixels: MAX_INPUT_PIXELS } as const satisfies SharpOptions

/** Raw pixel layout of a buffer handed to sharp. */
export interface RawLayout {
  width: number
  height: number
  channels: 1 | 2 | 3 | 4
}

/**
 * Opens an encoded image (PNG, WebP, SVG...) under {@link MAX_INPUT_PIXELS}.
 * @example
 * const { data, info } = await openImage(Buffer.from(svg)).raw().toBuffer({ resolveWithObject: true })
 */
export function openImage(input: Buffer): Sharp {
  return sharp(input, INPUT_LIMITS)
}

/**
 * Opens raw interleaved pixels under {@link MAX_INPUT_PIXELS}. sharp does not
 * apply the limit to raw input itself, so callers validate sizes first
 * (see `validateDesign`); the option is still passed to keep one rule everywhere.
 */
export function openRaw(data: Uint8Array, raw: RawLayout): Sharp {
  return sharp(data, { ...INPUT_LIMITS, raw })
}
