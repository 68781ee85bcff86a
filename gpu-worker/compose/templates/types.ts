/**
 * @module
 * What a product template is: three SVG layers drawn in code (no binary assets),
 * and what rendering them gives the compositor.
 */
import type { Product } from '../../../edge/score/products.ts'
import type { Fit, Rect } from '../fit.ts'

/** A template as drawn: SVG documents of the same size. */
export interface TemplateArt {
  product: Product
  width: number
  height: number
  /** The product in flat colours on its backdrop (lighting comes from `shading`). */
  art: string
  /**
   * Lighting as greys on white: folds, cylinder falloff, inset shadows. It is
   * multiplied into both the product and the print, so the print looks printed
   * on the surface. White means unchanged.
   */
  shading: string
  /** The print area: any opaque shape on a transparent background; its alpha is the mask. */
  printMask: string
  /** How designs fill this print area unless the caller says otherwise. */
  defaultFit: Fit
}

/** A rendered template: raw row-major buffers of `width` x `height` pixels. */
export interface ProductTemplate {
  product: Product
  width: number
  height: number
  /** The product, lit: RGB, 3 bytes per pixel. */
  base: Buffer
  /** Lighting: one byte per pixel, 255 = unchanged. */
  shading: Buffer
  /** Print-area coverage: one byte per pixel, 0 outside, 255 inside, anti-aliased edges. */
  mask: Buffer
  /** Bounding box of the mask's non-zero pixels. */
  printArea: Rect
  defaultFit: Fit
}
