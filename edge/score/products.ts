/** @module The products the platform makes mock-ups of; one list for signals, scores and jobs. */

/** Product templates the compositor draws (shirt, mug, poster). */
export const PRODUCTS = ['shirt', 'mug', 'poster'] as const

/** A product name. */
export type Product = (typeof PRODUCTS)[number]
