import { describe, expect, it } from 'vitest'
import { encodeKeysetCursor, keysetCursor } from './keyset-cursor.ts'

const decimal = keysetCursor((key) => /^-?\d+(\.\d+)?$/.test(key))

describe('keyset cursors', () => {
  it('Should read back what was encoded, with no characters a URL would escape', () => {
    const cursor = encodeKeysetCursor('1234.50', 42)
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decimal.parse(cursor)).toEqual({ key: '1234.50', id: 42 })
  })

  it.each([
    ['a key the schema refuses', encodeKeysetCursor('not a number', 1)],
    ['an id that is not a whole number', btoa(JSON.stringify(['1', 1.5]))],
    ['a third element', btoa(JSON.stringify(['1', 1, 2]))],
    ['not base64 JSON', 'zz!!'],
    ['an over-long text', 'A'.repeat(201)],
  ])('Should refuse %s', (_, text) => {
    const result = decimal.safeParse(text)
    expect(result.success).toBe(false)
  })
})
