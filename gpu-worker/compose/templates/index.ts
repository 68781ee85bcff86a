/**
 * @module
 * Product templates, drawn in code and rendered once per process.
 *
 * @example
 * const shirt = await loadTemplate('shirt')
 * shirt.printArea // { left: 357, top: 262, width: 310, height: 400 }
 */
import type { Product } from '../../../edge/score/products.ts'
import { MUG_ART } from './mug.ts'
import { POSTER_ART } from './poster.ts'
import { renderTemplate } from './render.ts'
import { SHIRT_ART } from './shirt.ts'
import type { ProductTemplate, TemplateArt } from './types.ts'

export { renderTemplate } from './render.ts'
export type { ProductTemplate, TemplateArt } from './types.ts'

/** The drawing of each product's template. */
export const TEMPLATE_ART: Readonly<Record<Product, TemplateArt>> = {
  shirt: SHIRT_ART,
  mug: MUG_ART,
  poster: POSTER_ART,
}

const rendered = new Map<Product, Promise<ProductTemplate>>()

/**
 * The rendered template of a product, rendered on first use and then shared.
 * Concurrent first calls share one render; a failed render is not cached.
 */
export function loadTemplate(product: Product): Promise<ProductTemplate> {
  const cached = rendered.get(product)
  if (cached) return cached
  const pending = renderTemplate(TEMPLATE_ART[product])
  rendered.set(product, pending)
  pending.catch(() => rendered.delete(product))
  return pending
}
