import { describe, expect, it } from 'vitest'
import { ProtoWriter } from './protobuf-writer.ts'

const bytes = (w: ProtoWriter) => Array.from(w.finish())

describe('ProtoWriter', () => {
  it('Should encode varints as in the protobuf spec (150 -> 08 96 01)', () => {
    expect(bytes(new ProtoWriter().int(1, 150))).toEqual([0x08, 0x96, 0x01])
    expect(bytes(new ProtoWriter().int(2, 0))).toEqual([0x10, 0x00])
  })

  it('Should encode negative int64 as ten-byte two complement', () => {
    expect(bytes(new ProtoWriter().int(1, -1))).toEqual([0x08, ...new Array(9).fill(0xff), 0x01])
  })

  it('Should length-prefix strings and embedded messages', () => {
    expect(bytes(new ProtoWriter().string(2, 'testing'))).toEqual([
      0x12,
      0x07,
      ...Array.from('testing', (c) => c.charCodeAt(0)),
    ])
    const inner = new ProtoWriter().int(1, 150)
    expect(bytes(new ProtoWriter().message(3, inner))).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01])
  })

  it('Should write floats little-endian with wire type 5 and pack repeated fields', () => {
    expect(bytes(new ProtoWriter().float(2, 1))).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f])
    expect(bytes(new ProtoWriter().packedInts(8, [3, 270]))).toEqual([0x42, 0x03, 0x03, 0x8e, 0x02])
    expect(bytes(new ProtoWriter().packedFloats(7, [1]))).toEqual([
      0x3a, 0x04, 0x00, 0x00, 0x80, 0x3f,
    ])
  })
})
