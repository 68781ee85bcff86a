/**
 * @module
 * Where a design goes inside a print area: scaled keeping its aspect ratio,
 * centred, either covering the area (cropped) or contained in it (letterboxed).
 */

/** An axis-aligned pixel rectangle. */
export interface Rect {
  left: number
  top: number
  width: number
  height: number
}

/**
 * How a design fills the print area. `cover`: fills it, cropping the overflow
 * (sharp crops the centre); `contain`: fits inside it, leaving bare garment.
 */
export type Fit = 'cover' | 'contain'

/** Fit modes, for validating input. */
export const FITS: readonly Fit[] = ['cover', 'contain']

/**
 * The rectangle the resized design occupies, in template pixels. For `cover`
 * it is the whole area (the resize crops); for `contain` the largest
 * rectangle of the design's aspect ratio inside it, centred.
 * @example
 * placeDesign({ width: 512, height: 256 }, { left: 0, top: 0, width: 400, height: 400 }, 'contain')
 * // { left: 0, top: 100, width: 400, height: 200 }
 */
export function placeDesign(design: { width: number; height: number }, area: Rect, fit: Fit): Rect {
  if (fit === 'cover') return { ...area }
  const scale = Math.min(area.width / design.width, area.height / design.height)
  // At least one pixel, so an extreme aspect ratio still resizes to something sharp accepts.
  const width = Math.min(area.width, Math.max(1, Math.round(design.width * scale)))
  const height = Math.min(area.height, Math.max(1, Math.round(design.height * scale)))
  return {
    left: area.left + Math.floor((area.width - width) / 2),
    top: area.top + Math.floor((area.height - height) / 2),
    width,
    height,
  }
}
