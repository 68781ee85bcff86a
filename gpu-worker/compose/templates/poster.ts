/**
 * @module
 * The poster template: a black frame with a white mat on a wall, casting a
 * shadow. The print area is the mat's opening; the mat throws a soft inset
 * shadow onto the print and the glass a faint diagonal reflection.
 */

import { blurFilter, grey, svgDocument } from './svg.ts'
import type { TemplateArt } from './types.ts'

const SIZE = 1024
/** The opening in the mat: 424 x 664, close to the 1:sqrt(2) of A-series paper. */
const OPENING = { x: 300, y: 180, width: 424, height: 664 }

const art = svgDocument(
  SIZE,
  SIZE,
  `<defs>
    <linearGradient id="wall" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#ece5da"/><stop offset="1" stop-color="#d9d0c2"/>
    </linearGradient>
    ${blurFilter('soft', 16)}
  </defs>
  <rect width="${SIZE}" height="${SIZE}" fill="url(#wall)"/>
  <rect x="240" y="126" width="560" height="800" fill="#000" opacity="0.35" filter="url(#soft)"/>
  <rect x="232" y="112" width="560" height="800" fill="#262422"/>
  <rect x="238" y="118" width="548" height="788" fill="none" stroke="#4a4643" stroke-width="2"/>
  <rect x="260" y="140" width="504" height="744" fill="#fbfaf7"/>
  <rect x="${OPENING.x - 3}" y="${OPENING.y - 3}" width="${OPENING.width + 6}" height="${OPENING.height + 6}" fill="#dedad2"/>
  <rect x="${OPENING.x}" y="${OPENING.y}" width="${OPENING.width}" height="${OPENING.height}" fill="#f4f3ef"/>`,
)

const shading = svgDocument(
  SIZE,
  SIZE,
  `<defs>
    <clipPath id="opening"><rect x="${OPENING.x}" y="${OPENING.y}" width="${OPENING.width}" height="${OPENING.height}"/></clipPath>
    <linearGradient id="glass" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="${grey(255)}"/><stop offset="0.42" stop-color="${grey(255)}"/>
      <stop offset="0.5" stop-color="${grey(238)}"/><stop offset="0.58" stop-color="${grey(255)}"/>
      <stop offset="1" stop-color="${grey(246)}"/>
    </linearGradient>
    ${blurFilter('inset', 6)}
  </defs>
  <rect width="${SIZE}" height="${SIZE}" fill="#fff"/>
  <rect x="232" y="112" width="560" height="800" fill="url(#glass)"/>
  <g clip-path="url(#opening)">
    <path d="M${OPENING.x} ${OPENING.y + OPENING.height} V${OPENING.y} H${OPENING.x + OPENING.width}" fill="none" stroke="${grey(120)}" stroke-width="10" filter="url(#inset)"/>
  </g>`,
)

const printMask = svgDocument(
  SIZE,
  SIZE,
  `<rect x="${OPENING.x}" y="${OPENING.y}" width="${OPENING.width}" height="${OPENING.height}" fill="#fff"/>`,
)

/** The framed poster: designs cover the opening, as a print is trimmed to its frame. */
export const POSTER_ART: TemplateArt = {
  product: 'poster',
  width: SIZE,
  height: SIZE,
  art,
  shading,
  printMask,
  defaultFit: 'cover',
}
