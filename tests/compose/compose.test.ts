import { beforeAll, describe, expect, it } from 'vitest'
import { PRODUCTS } from '../../edge/score/products.ts'
import {
  ComposeInputError,
  composeMockup,
  loadTemplate,
  MAX_INPUT_PIXELS,
  type Mockup,
  type ProductTemplate,
  type Rect,
} from '../../gpu-worker/compose/index.ts'
import { decode, isRed, solidDesign } from './support.ts'

const RED: [number, number, number] = [255, 0, 0]

function inside(rect: Rect, x: number, y: number): boolean {
  return x >= rect.left && x < rect.left + rect.width && y >= rect.top && y < rect.top + rect.height
}

describe.each(PRODUCTS)('composeMockup on the %s', (product) => {
  let template: ProductTemplate
  let mockup: Mockup
  let png: Awaited<ReturnType<typeof decode>>

  beforeAll(async () => {
    template = await loadTemplate(product)
    mockup = await composeMockup({ design: solidDesign(512, 512, RED), product })
    png = await decode(mockup.png)
  })

  it('Should give a PNG and a WebP of the template size', async () => {
    const webp = await decode(mockup.webp)
    expect([png.format, png.width, png.height]).toEqual(['png', template.width, template.height])
    expect([webp.format, webp.width, webp.height]).toEqual([
      'webp',
      template.width,
      template.height,
    ])
    expect([mockup.width, mockup.height]).toEqual([template.width, template.height])
    // Lossy WebP decodes close to the PNG: same picture, not a blank or shifted one.
    expect(webp.at(mockup.designRect.left + 20, mockup.designRect.top + 20)[0]).toBeGreaterThan(150)
    expect(mockup.timings.compositeMs).toBeGreaterThan(0)
    expect(mockup.timings.encodeMs).toBeCloseTo(mockup.timings.pngMs + mockup.timings.webpMs)
  })

  it('Should leave every pixel off the print area exactly as the template has it', async () => {
    let compared = 0
    let differing = 0
    for (let y = 0; y < template.height; y++) {
      for (let x = 0; x < template.width; x++) {
        const p = y * template.width + x
        if (template.mask[p]! > 0 && inside(mockup.designRect, x, y)) continue
        compared++
        const i = p * 3
        if (png.data.compare(template.base, i, i + 3, i, i + 3) !== 0) differing++
      }
    }
    expect(compared).toBeGreaterThan(template.width * template.height * 0.5)
    expect(differing).toBe(0)
  })

  it('Should print red multiplied by the shading inside the mask', async () => {
    const { left, top, width, height } = mockup.designRect
    let checked = 0
    for (let y = top; y < top + height; y += 7) {
      for (let x = left; x < left + width; x += 7) {
        const p = y * template.width + x
        if (template.mask[p] !== 255) continue
        checked++
        // Multiply: 255 * shade / 255 = shade in red, 0 in green and blue (libvips truncates: +-1).
        const [r, g, b] = png.at(x, y)
        expect(Math.abs(r - template.shading[p]!)).toBeLessThanOrEqual(1)
        expect([g, b]).toEqual([0, 0])
      }
    }
    expect(checked).toBeGreaterThan(1000)
    const centre = png.at(left + (width >> 1), top + (height >> 1))
    expect(isRed(centre)).toBe(true)
  })
})

describe('composeMockup options', () => {
  it('Should print the design unshaded when shading is off', async () => {
    const mockup = await composeMockup({
      design: solidDesign(64, 64, [10, 200, 30]),
      product: 'shirt',
      shading: false,
    })
    const out = await decode(mockup.png)
    const { left, top, width, height } = mockup.designRect
    expect(out.at(left + (width >> 1), top + (height >> 1))).toEqual([10, 200, 30])
  })

  it('Should keep a wide design wide when contained (letterboxed, not stretched)', async () => {
    const template = await loadTemplate('poster')
    const area = template.printArea
    const mockup = await composeMockup({
      design: solidDesign(512, 256, RED),
      product: 'poster',
      fit: 'contain',
    })
    const out = await decode(mockup.png)
    const x = area.left + (area.width >> 1)
    const redRows: number[] = []
    for (let y = area.top; y < area.top + area.height; y++) if (isRed(out.at(x, y))) redRows.push(y)
    const expectedHeight = Math.round(256 * (area.width / 512))
    expect(redRows.length).toBe(expectedHeight)
    expect(redRows[0]).toBe(area.top + Math.floor((area.height - expectedHeight) / 2))
    // The red band is one run across the width of the print area.
    const y = redRows[redRows.length >> 1]!
    let redCols = 0
    for (let cx = area.left; cx < area.left + area.width; cx++) if (isRed(out.at(cx, y))) redCols++
    expect(redCols).toBe(area.width)
  })

  it('Should crop, not squeeze, a wide design when covering', async () => {
    const template = await loadTemplate('poster')
    const area = template.printArea
    // Red, with a 32-pixel green stripe in the middle (1/16 of the width).
    const design = solidDesign(512, 256, RED)
    for (let y = 0; y < 256; y++) {
      for (let x = 240; x < 272; x++) design.data.set([0, 255, 0], (y * 512 + x) * 3)
    }
    const mockup = await composeMockup({ design, product: 'poster', fit: 'cover' })
    const out = await decode(mockup.png)
    const y = area.top + (area.height >> 1)
    const green: number[] = []
    for (let x = area.left; x < area.left + area.width; x++) {
      const [r, g] = out.at(x, y)
      if (g > 150 && r < 60) green.push(x)
    }
    // Scaled by height (664 / 256): the stripe is about 83 pixels wide, not 424 / 16 = 26.5.
    const scale = area.height / 256
    expect(Math.abs(green.length - 32 * scale)).toBeLessThanOrEqual(2)
    const middle = (green[0]! + green[green.length - 1]!) / 2
    expect(Math.abs(middle - (area.left + area.width / 2))).toBeLessThanOrEqual(1.5)
  })
})

describe('composeMockup input checks', () => {
  const design = solidDesign(8, 8, RED)

  it.each([
    ['a byte length that does not match', { ...design, data: new Uint8Array(8 * 8 * 3 - 1) }],
    ['a zero width', { ...design, width: 0, data: new Uint8Array(0) }],
    ['a fractional height', { ...design, height: 7.5 }],
    ['a NaN width', { ...design, width: Number.NaN }],
    ['four channels', { ...design, channels: 4 as 3, data: new Uint8Array(8 * 8 * 4) }],
    [
      'data that is not bytes',
      { ...design, data: Array.from(design.data) as unknown as Uint8Array },
    ],
    // 5000 x 5000 declared with a tiny buffer: refused on the header, before any allocation.
    ['a size over the pixel limit', { ...design, width: 5000, height: 5000 }],
  ])('Should refuse a design with %s', async (_, bad) => {
    await expect(composeMockup({ design: bad, product: 'shirt' })).rejects.toThrow(
      ComposeInputError,
    )
  })

  it('Should name the limit when a design is too large', async () => {
    const side = Math.ceil(Math.sqrt(MAX_INPUT_PIXELS)) + 1
    await expect(
      composeMockup({ design: { ...design, width: side, height: side }, product: 'mug' }),
    ).rejects.toThrow(`the limit is ${MAX_INPUT_PIXELS}`)
  })

  it('Should refuse an unknown product', async () => {
    await expect(composeMockup({ design, product: 'hat' as 'shirt' })).rejects.toThrow(
      /unknown product "hat"/,
    )
  })

  it('Should refuse an unknown fit and out-of-range encoder settings', async () => {
    await expect(
      composeMockup({ design, product: 'mug', fit: 'stretch' as 'cover' }),
    ).rejects.toThrow(ComposeInputError)
    await expect(
      composeMockup({ design, product: 'mug', format: { webpQuality: 0 } }),
    ).rejects.toThrow(ComposeInputError)
    await expect(
      composeMockup({ design, product: 'mug', format: { pngCompressionLevel: 10 } }),
    ).rejects.toThrow(ComposeInputError)
  })
})
