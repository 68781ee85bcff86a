/**
 * @module
 * Turns a template's SVG layers into the raw buffers the compositor works on:
 * the lit product (art multiplied by shading), the shading and the mask.
 */

import { maskBounds } from '../raw-pixels.ts'
import { INPUT_LIMITS, openImage, openRaw } from '../sharp-input.ts'
import type { ProductTemplate, TemplateArt } from './types.ts'

async function renderChannel(svg: string, channel: 'red' | 'alpha'): Promise<Buffer> {
  return openImage(Buffer.from(svg)).extractChannel(channel).raw().toBuffer()
}

/**
 * Renders one template: three SVG renders by librsvg through sharp, run side by side
 * (a few hundred milliseconds in all, most of it in the blurs), so callers cache the result.
 * @throws Error if a layer's size differs from the template's or the mask is empty
 */
export async function renderTemplate(art: TemplateArt): Promise<ProductTemplate> {
  const { width, height } = art
  const [flat, shading, mask] = await Promise.all([
    openImage(Buffer.from(art.art)).removeAlpha().raw().toBuffer(),
    // The shading layer is drawn in greys, so any colour channel is the grey level.
    renderChannel(art.shading, 'red'),
    renderChannel(art.printMask, 'alpha'),
  ])
  for (const [name, buffer, channels] of [
    ['art', flat, 3],
    ['shading', shading, 1],
    ['printMask', mask, 1],
  ] as const) {
    if (buffer.length !== width * height * channels) {
      throw new Error(`${art.product} template: the ${name} layer is not ${width}x${height}`)
    }
  }
  // Lit with the same rendered shading the print gets, so product and print match exactly.
  const base = await openRaw(flat, { width, height, channels: 3 })
    .composite([
      { input: shading, raw: { width, height, channels: 1 }, blend: 'multiply', ...INPUT_LIMITS },
    ])
    .removeAlpha()
    .raw()
    .toBuffer()
  return {
    product: art.product,
    width,
    height,
    base,
    shading,
    mask,
    printArea: maskBounds(mask, width, height),
    defaultFit: art.defaultFit,
  }
}
