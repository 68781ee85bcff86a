/** @module Helpers for writing template SVGs. */

/** Wraps SVG elements in a document of the given size (pixels, 1:1 at sharp's default 72 dpi). */
export function svgDocument(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`
}

/** A Gaussian-blur filter definition, for soft shadows and folds. */
export function blurFilter(id: string, stdDeviation: number): string {
  // The filter region is widened so a blur near the edge of a shape is not clipped square.
  return `<filter id="${id}" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="${stdDeviation}"/></filter>`
}

/** A grey of the given level (0-255) as an SVG colour, for shading layers. */
export function grey(level: number): string {
  return `rgb(${level},${level},${level})`
}
