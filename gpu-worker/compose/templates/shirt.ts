/**
 * @module
 * The t-shirt template: a front view of a crew-neck tee on a studio backdrop,
 * with folds from the armpits and at the hem; the print area is the chest,
 * a rounded rectangle.
 */

import { blurFilter, grey, svgDocument } from './svg.ts'
import type { TemplateArt } from './types.ts'

const SIZE = 1024

/** The silhouette: collar, sloping shoulders, short sleeves, slightly curved hem. */
const SHIRT =
  'M400 150 Q512 232 624 150 L762 190 Q840 250 906 332 L818 416 L744 362 ' +
  'L750 902 Q512 922 274 902 L280 362 L206 416 L118 332 Q184 250 262 190 Z'

/** The back of the neck, seen inside the collar. */
const BACK_NECK = 'M400 150 Q512 190 624 150 Q512 232 400 150 Z'

const art = svgDocument(
  SIZE,
  SIZE,
  `<defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#eef1f4"/><stop offset="1" stop-color="#d9dee4"/>
    </linearGradient>
    ${blurFilter('soft', 14)}
  </defs>
  <rect width="${SIZE}" height="${SIZE}" fill="url(#bg)"/>
  <path d="${SHIRT}" transform="translate(10 16)" fill="#000" opacity="0.22" filter="url(#soft)"/>
  <path d="${SHIRT}" fill="#f6f6f3" stroke="#c3c7cc" stroke-width="2" stroke-linejoin="round"/>
  <path d="${BACK_NECK}" fill="#d6d6d1"/>
  <path d="M400 150 Q512 232 624 150" fill="none" stroke="#e4e4df" stroke-width="16" stroke-linecap="round"/>
  <path d="M404 162 Q512 238 620 162" fill="none" stroke="#c9c9c3" stroke-width="1.5" stroke-dasharray="5 4"/>
  <path d="M134 346 L212 402 M890 346 L812 402" stroke="#c9c9c3" stroke-width="1.5" stroke-dasharray="5 4"/>
  <path d="M278 884 Q512 904 746 884" fill="none" stroke="#c9c9c3" stroke-width="1.5" stroke-dasharray="5 4"/>`,
)

const shading = svgDocument(
  SIZE,
  SIZE,
  `<defs>
    <clipPath id="shirt"><path d="${SHIRT}"/></clipPath>
    <linearGradient id="body" x1="0" y1="0" x2="1" y2="0">
      <stop offset="0" stop-color="${grey(196)}"/><stop offset="0.3" stop-color="${grey(246)}"/>
      <stop offset="0.5" stop-color="${grey(255)}"/><stop offset="0.7" stop-color="${grey(246)}"/>
      <stop offset="1" stop-color="${grey(192)}"/>
    </linearGradient>
    ${blurFilter('fold', 9)}
  </defs>
  <rect width="${SIZE}" height="${SIZE}" fill="#fff"/>
  <g clip-path="url(#shirt)">
    <rect width="${SIZE}" height="${SIZE}" fill="url(#body)"/>
    <g fill="none" stroke-linecap="round" filter="url(#fold)">
      <path d="M290 376 Q356 424 432 470" stroke="${grey(178)}" stroke-width="10"/>
      <path d="M734 376 Q668 424 592 470" stroke="${grey(178)}" stroke-width="10"/>
      <path d="M300 420 Q360 470 410 540" stroke="${grey(214)}" stroke-width="10"/>
      <path d="M724 420 Q664 470 614 540" stroke="${grey(214)}" stroke-width="10"/>
      <path d="M414 902 Q426 850 456 806" stroke="${grey(196)}" stroke-width="8"/>
      <path d="M610 902 Q598 850 568 806" stroke="${grey(196)}" stroke-width="8"/>
      <path d="M396 176 Q512 262 628 176" stroke="${grey(185)}" stroke-width="12"/>
      <path d="M214 304 Q244 350 266 366 M810 304 Q780 350 758 366" stroke="${grey(184)}" stroke-width="10"/>
    </g>
  </g>`,
)

const printMask = svgDocument(
  SIZE,
  SIZE,
  '<rect x="357" y="262" width="310" height="400" rx="28" fill="#fff"/>',
)

/** The t-shirt: chest print, designs contained so the artwork is never cropped. */
export const SHIRT_ART: TemplateArt = {
  product: 'shirt',
  width: SIZE,
  height: SIZE,
  art,
  shading,
  printMask,
  defaultFit: 'contain',
}
