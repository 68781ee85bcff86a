/**
 * @module
 * Puts a design on a product: the design is resized into the print area
 * (aspect ratio kept, centred), multiplied by the template's shading so folds
 * and curvature show through it, clipped to the print-area mask (`dest-in`) so
 * nothing lands off the product, then laid over the template and encoded.
 */
import { PRODUCTS, type Product } from '../../edge/score/products.ts'
import { type RawDesign, validateDesign } from './design.ts'
import {
  type EncodedMockup,
  encodeMockup,
  type FormatOptions,
  resolveFormatOptions,
} from './encode.ts'
import { ComposeInputError } from './errors.ts'
import { FITS, type Fit, placeDesign, type Rect } from './fit.ts'
import { cropMaskAsAlpha, cropRaw } from './raw-pixels.ts'
import { INPUT_LIMITS, type OverlayOptions, openRaw } from './sharp-input.ts'
import { loadTemplate } from './templates/index.ts'
import type { ProductTemplate } from './templates/types.ts'

/** Input of {@link composeMockup}. */
export interface ComposeOptions {
  /** Raw RGB design, e.g. the SD pipeline's `GeneratedImage`. */
  design: RawDesign
  /** One of `PRODUCTS`; checked at run time, as job payloads arrive untyped. */
  product: Product
  /** How the design fills the print area. @defaultValue the template's (shirt `contain`, mug and poster `cover`) */
  fit?: Fit
  /** Multiply the design by the template's shading so it looks printed. @defaultValue true */
  shading?: boolean
  /** Encoder settings. @defaultValue WebP quality 90, PNG level 6 */
  format?: FormatOptions
}

/** Milliseconds spent per stage (the `composite` and `encode` stages of `mockup_generation_seconds`). */
export interface ComposeTimings {
  /** Resizing, shading, masking and laying the design over the template, to raw pixels. */
  compositeMs: number
  /** Both encodings: `pngMs + webpMs`. */
  encodeMs: number
  pngMs: number
  webpMs: number
}

/** A finished mock-up. */
export interface Mockup {
  png: Buffer
  webp: Buffer
  width: number
  height: number
  /** Where the print area is in the mock-up, and where the design landed in it. */
  printArea: Rect
  designRect: Rect
  timings: ComposeTimings
}

function checkProduct(product: string): Product {
  const known = PRODUCTS.find((p) => p === product)
  if (!known) {
    throw new ComposeInputError(
      `unknown product ${JSON.stringify(product)}; expected one of ${PRODUCTS.join(', ')}`,
    )
  }
  return known
}

function checkFit(fit: string): Fit {
  const known = FITS.find((f) => f === fit)
  if (!known)
    throw new ComposeInputError(`unknown fit ${JSON.stringify(fit)}; expected cover or contain`)
  return known
}

/** The design resized into `rect`, shaded and clipped: RGBA of `rect`'s size. */
async function printLayer(
  design: RawDesign,
  template: ProductTemplate,
  rect: Rect,
  shading: boolean,
): Promise<Buffer> {
  const size = { width: rect.width, height: rect.height }
  const overlays: OverlayOptions[] = []
  if (shading) {
    const input = cropRaw(template.shading, template.width, 1, rect)
    overlays.push({ input, raw: { ...size, channels: 1 }, blend: 'multiply', ...INPUT_LIMITS })
  }
  const mask = cropMaskAsAlpha(template.mask, template.width, rect)
  overlays.push({ input: mask, raw: { ...size, channels: 2 }, blend: 'dest-in', ...INPUT_LIMITS })
  return (
    openRaw(design.data, { width: design.width, height: design.height, channels: 3 })
      // For `contain` the rect already has the design's aspect ratio (to a pixel); `cover` crops the centre.
      .resize(rect.width, rect.height, { fit: 'cover', position: 'centre' })
      .ensureAlpha()
      .composite(overlays)
      .raw()
      .toBuffer()
  )
}

/**
 * Composites a design onto a product template and encodes it as PNG and WebP.
 * @throws ComposeInputError for an unknown product or fit, a design whose size,
 * channels or byte length are wrong or too large, or encoder options out of range
 * @example
 * const image = await pipeline.generate({ prompt: 'shirt design', seed: 1 })
 * const mockup = await composeMockup({ design: image, product: 'shirt' })
 * await storage.put(`${jobId}/mockup.png`, mockup.png, 'image/png')
 */
export async function composeMockup(options: ComposeOptions): Promise<Mockup> {
  const product = checkProduct(options.product)
  validateDesign(options.design)
  const format = resolveFormatOptions(options.format)
  const template = await loadTemplate(product)
  const fit = checkFit(options.fit ?? template.defaultFit)

  const start = performance.now()
  const designRect = placeDesign(options.design, template.printArea, fit)
  const layer = await printLayer(options.design, template, designRect, options.shading ?? true)
  const layout = { width: template.width, height: template.height, channels: 3 as const }
  const pixels = await openRaw(template.base, layout)
    .composite([
      {
        input: layer,
        raw: { width: designRect.width, height: designRect.height, channels: 4 },
        left: designRect.left,
        top: designRect.top,
        ...INPUT_LIMITS,
      },
    ])
    // The template is opaque; the layer's alpha has been spent in the composite.
    .removeAlpha()
    .raw()
    .toBuffer()
  const compositeMs = performance.now() - start

  const encoded: EncodedMockup = await encodeMockup(pixels, layout, format)
  return {
    png: encoded.png,
    webp: encoded.webp,
    width: template.width,
    height: template.height,
    printArea: { ...template.printArea },
    designRect,
    timings: {
      compositeMs,
      encodeMs: encoded.pngMs + encoded.webpMs,
      pngMs: encoded.pngMs,
      webpMs: encoded.webpMs,
    },
  }
}
