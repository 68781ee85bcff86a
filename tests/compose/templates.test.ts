import { readdir, readFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { crc32 } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { PRODUCTS } from '../../edge/score/products.ts'
import { loadTemplate, MAX_INPUT_PIXELS } from '../../gpu-worker/compose/index.ts'
import { openImage } from '../../gpu-worker/compose/sharp-input.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const COMPOSE_DIR = join(ROOT, 'gpu-worker/compose')

describe.each(PRODUCTS)('the %s template', (product) => {
  it('Should be rendered once and shared', async () => {
    const [a, b] = await Promise.all([loadTemplate(product), loadTemplate(product)])
    expect(a).toBe(b)
    expect(await loadTemplate(product)).toBe(a)
  })

  it('Should have a print area inside the product, bounded by its mask', async () => {
    const t = await loadTemplate(product)
    const { left, top, width, height } = t.printArea
    expect(left).toBeGreaterThan(0)
    expect(top).toBeGreaterThan(0)
    expect(left + width).toBeLessThan(t.width)
    expect(top + height).toBeLessThan(t.height)
    const centre = (top + (height >> 1)) * t.width + left + (width >> 1)
    expect(t.mask[centre]).toBe(255)
    // The product is drawn: the print area's centre is not the backdrop colour at the corner.
    expect(t.base.subarray(centre * 3, centre * 3 + 3)).not.toEqual(t.base.subarray(0, 3))
    // Lit well enough that a design stays visible.
    expect(t.shading[centre]).toBeGreaterThan(200)
  })
})

describe('print-area masks', () => {
  /** Share of the bounding box the mask covers. */
  async function coverage(product: (typeof PRODUCTS)[number]): Promise<number> {
    const t = await loadTemplate(product)
    const { left, top, width, height } = t.printArea
    let covered = 0
    for (let y = top; y < top + height; y++) {
      for (let x = left; x < left + width; x++) if (t.mask[y * t.width + x]! > 0) covered++
    }
    return covered / (width * height)
  }

  it.each(['shirt', 'mug'] as const)(
    'Should not be a plain rectangle on the %s',
    async (product) => {
      // Rounded corners (shirt) and rim-shaped top and bottom edges (mug) leave part of the box out.
      expect(await coverage(product)).toBeLessThan(0.998)
    },
  )

  it('Should be the whole opening of the poster frame', async () => {
    expect(await coverage('poster')).toBe(1)
  })
})

/** A real 1x1 PNG whose IHDR is rewritten to declare `width` x `height`, with a valid CRC. */
async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
    .png()
    .toBuffer()
  // Signature (8), chunk length (4), "IHDR" (4), then width and height; the CRC covers type + data.
  png.writeUInt32BE(width, 16)
  png.writeUInt32BE(height, 20)
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29)
  return png
}

describe('sharp input limits', () => {
  it('Should refuse an image that declares more than MAX_INPUT_PIXELS', async () => {
    const huge = await pngDeclaring(50_000, 50_000)
    await expect(openImage(huge).raw().toBuffer()).rejects.toThrow(/pixel limit/)
  })

  it('Should accept an image at the limit (the check is the limit, not a blanket refusal)', async () => {
    const ok = await pngDeclaring(1, 1)
    expect((await openImage(ok).metadata()).width).toBe(1)
    expect(MAX_INPUT_PIXELS).toBe(4096 * 4096)
  })

  it('Should be the only compositor module that opens images with sharp', async () => {
    const entries = await readdir(COMPOSE_DIR, { recursive: true, withFileTypes: true })
    const offenders: string[] = []
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
      const path = join(entry.parentPath, entry.name)
      const file = relative(COMPOSE_DIR, path)
      if (file === 'sharp-input.ts') continue
      if (/from 'sharp'/.test(await readFile(path, 'utf8'))) offenders.push(file)
    }
    expect(offenders).toEqual([])
    expect(await readFile(join(COMPOSE_DIR, 'sharp-input.ts'), 'utf8')).toMatch(/limitInputPixels/)
  })
})
