import { describe, expect, it } from 'vitest'
import { placeDesign } from './fit.ts'

const AREA = { left: 100, top: 50, width: 400, height: 600 }

describe('placeDesign', () => {
  it('Should letterbox a wide design inside a tall area, centred vertically', () => {
    expect(placeDesign({ width: 512, height: 256 }, AREA, 'contain')).toEqual({
      left: 100,
      top: 50 + 200,
      width: 400,
      height: 200,
    })
  })

  it('Should pillarbox a tall design, centred horizontally', () => {
    expect(placeDesign({ width: 100, height: 300 }, AREA, 'contain')).toEqual({
      left: 100 + 100,
      top: 50,
      width: 200,
      height: 600,
    })
  })

  it('Should cover the whole area (the resize crops the overflow)', () => {
    expect(placeDesign({ width: 512, height: 256 }, AREA, 'cover')).toEqual(AREA)
  })

  it('Should keep at least one pixel for an extreme aspect ratio', () => {
    const rect = placeDesign({ width: 4096, height: 1 }, AREA, 'contain')
    expect(rect).toEqual({ left: 100, top: 50 + 299, width: 400, height: 1 })
  })
})
