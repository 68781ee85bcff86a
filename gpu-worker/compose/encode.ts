/**
 * @module
 * Encoding the finished mock-up: PNG (lossless, for the product page zoom) and
 * WebP at quality 90 (for listings). Lossless WebP is about 5x slower than
 * lossy here (FACTS.md: 338 ms against 73 ms at 1024x1024), so it is not offered.
 */
import { ComposeInputError } from './errors.ts'
import { openRaw, type RawLayout } from './sharp-input.ts'

/** Encoder settings of {@link encodeMockup}. */
export interface FormatOptions {
  /** WebP quality, 1-100. @defaultValue 90 */
  webpQuality?: number
  /** zlib level of the PNG, 0-9: higher is smaller and slower. @defaultValue 6 */
  pngCompressionLevel?: number
}

/** Both encodings with the time each took. */
export interface EncodedMockup {
  png: Buffer
  webp: Buffer
  pngMs: number
  webpMs: number
}

function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ComposeInputError(`${name} must be an integer from ${min} to ${max}; got ${value}`)
  }
  return value
}

/**
 * Resolves and checks encoder settings.
 * @throws ComposeInputError for a value out of range
 */
export function resolveFormatOptions(options: FormatOptions = {}): Required<FormatOptions> {
  return {
    webpQuality: checkRange('webpQuality', options.webpQuality ?? 90, 1, 100),
    pngCompressionLevel: checkRange('pngCompressionLevel', options.pngCompressionLevel ?? 6, 0, 9),
  }
}

async function timed(work: () => Promise<Buffer>): Promise<[Buffer, number]> {
  const start = performance.now()
  const bytes = await work()
  return [bytes, performance.now() - start]
}

/**
 * Encodes raw pixels as PNG and WebP, one after the other: run together they
 * only contend for the same cores, and apart each time is that format's own cost.
 */
export async function encodeMockup(
  pixels: Buffer,
  layout: RawLayout,
  options: Required<FormatOptions>,
): Promise<EncodedMockup> {
  const [png, pngMs] = await timed(() =>
    openRaw(pixels, layout).png({ compressionLevel: options.pngCompressionLevel }).toBuffer(),
  )
  const [webp, webpMs] = await timed(() =>
    openRaw(pixels, layout).webp({ quality: options.webpQuality }).toBuffer(),
  )
  return { png, webp, pngMs, webpMs }
}
