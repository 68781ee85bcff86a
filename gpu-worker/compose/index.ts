/**
 * @module
 * Mock-up compositing: a generated design on a shirt, mug or poster template
 * drawn in code, encoded as PNG and WebP.
 *
 * @example
 * import { composeMockup } from './compose/index.ts'
 * const mockup = await composeMockup({ design: image, product: 'mug' })
 * // mockup.png, mockup.webp, mockup.timings.compositeMs / encodeMs
 */
export {
  type ComposeOptions,
  type ComposeTimings,
  composeMockup,
  type Mockup,
} from './compose.ts'
export { type RawDesign, validateDesign } from './design.ts'
export type { FormatOptions } from './encode.ts'
export { ComposeInputError } from './errors.ts'
export { FITS, type Fit, placeDesign, type Rect } from './fit.ts'
export { INPUT_LIMITS, MAX_INPUT_PIXELS } from './sharp-input.ts'
export { loadTemplate, type ProductTemplate, TEMPLATE_ART } from './templates/index.ts'
