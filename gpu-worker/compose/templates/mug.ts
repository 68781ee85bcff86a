/**
 * @module
 * The mug template: a white ceramic mug seen from slightly above, handle on the
 * right, lit from the front-left so the body falls off like a cylinder. The
 * print area is the visible part of the wrap, its top and bottom edges curved
 * like the rim.
 */

import { blurFilter, grey, svgDocument } from './svg.ts'
import type { TemplateArt } from './types.ts'

const SIZE = 1024

/** Body outline: straight sides, a bottom edge curved like the rim. */
const BODY = 'M270 250 L270 770 A215 38 0 0 0 700 770 L700 250 Z'
/** Handle, drawn as a thick stroke so it is a ring with a hole. */
const HANDLE = 'M690 372 C872 352 872 652 690 636'

const art = svgDocument(
  SIZE,
  SIZE,
  `<defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#efe9e2"/><stop offset="0.78" stop-color="#e3dbd1"/>
      <stop offset="0.78" stop-color="#d4cabd"/><stop offset="1" stop-color="#cabfb1"/>
    </linearGradient>
    <linearGradient id="inside" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#d6d2cc"/><stop offset="1" stop-color="#a9a49c"/>
    </linearGradient>
    ${blurFilter('soft', 16)}
  </defs>
  <rect width="${SIZE}" height="${SIZE}" fill="url(#bg)"/>
  <ellipse cx="505" cy="812" rx="290" ry="42" fill="#000" opacity="0.28" filter="url(#soft)"/>
  <path d="${HANDLE}" fill="none" stroke="#b9b9b6" stroke-width="58" stroke-linecap="round"/>
  <path d="${HANDLE}" fill="none" stroke="#fbfbfa" stroke-width="50" stroke-linecap="round"/>
  <path d="${BODY}" fill="#fbfbfa" stroke="#b9b9b6" stroke-width="2"/>
  <ellipse cx="485" cy="250" rx="215" ry="38" fill="url(#inside)" stroke="#f2f2f0" stroke-width="8"/>
  <ellipse cx="485" cy="250" rx="219" ry="42" fill="none" stroke="#b9b9b6" stroke-width="1.5"/>`,
)

const shading = svgDocument(
  SIZE,
  SIZE,
  `<defs>
    <clipPath id="body"><path d="${BODY}"/></clipPath>
    <linearGradient id="cylinder" x1="270" y1="0" x2="700" y2="0" gradientUnits="userSpaceOnUse">
      <stop offset="0" stop-color="${grey(150)}"/><stop offset="0.12" stop-color="${grey(212)}"/>
      <stop offset="0.34" stop-color="${grey(255)}"/><stop offset="0.55" stop-color="${grey(250)}"/>
      <stop offset="0.86" stop-color="${grey(200)}"/><stop offset="1" stop-color="${grey(138)}"/>
    </linearGradient>
    <linearGradient id="handle" x1="690" y1="0" x2="850" y2="0" gradientUnits="userSpaceOnUse">
      <stop offset="0" stop-color="${grey(170)}"/><stop offset="0.6" stop-color="${grey(240)}"/>
      <stop offset="1" stop-color="${grey(180)}"/>
    </linearGradient>
    ${blurFilter('edge', 10)}
  </defs>
  <rect width="${SIZE}" height="${SIZE}" fill="#fff"/>
  <path d="${HANDLE}" fill="none" stroke="url(#handle)" stroke-width="50" stroke-linecap="round"/>
  <g clip-path="url(#body)">
    <rect width="${SIZE}" height="${SIZE}" fill="url(#cylinder)"/>
    <g filter="url(#edge)">
      <ellipse cx="485" cy="290" rx="230" ry="30" fill="${grey(215)}"/>
      <ellipse cx="485" cy="790" rx="230" ry="34" fill="${grey(200)}"/>
    </g>
  </g>
  <ellipse cx="485" cy="250" rx="215" ry="38" fill="#fff"/>`,
)

const printMask = svgDocument(
  SIZE,
  SIZE,
  '<path d="M300 316 Q485 356 670 316 L670 700 Q485 740 300 700 Z" fill="#fff"/>',
)

/** The mug: the visible wrap area, filled edge to edge like a printed wrap. */
export const MUG_ART: TemplateArt = {
  product: 'mug',
  width: SIZE,
  height: SIZE,
  art,
  shading,
  printMask,
  defaultFit: 'cover',
}
