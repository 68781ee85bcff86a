/**
 * @module
 * A minimal protocol-buffers encoder: just the wire types ONNX's ModelProto needs
 * (varint, 32-bit, length-delimited). Messages are built bottom-up: encode a child
 * to bytes first, then embed it with {@link ProtoWriter.bytes}.
 */

const WIRE_VARINT = 0
const WIRE_LEN = 2
const WIRE_FIXED32 = 5

const UTF8 = new TextEncoder()

/** Collects the fields of one protobuf message, in the order they are written. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = []
  private scratch: number[] = []

  /** Writes an int32/int64/enum/bool field as a varint (negative values as 10-byte two's complement). */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT)
    this.varint(BigInt(value))
    return this.flush()
  }

  /** Writes a `float` field (wire type 5, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32)
    this.flush()
    const bytes = new Uint8Array(4)
    new DataView(bytes.buffer).setFloat32(0, value, true)
    this.chunks.push(bytes)
    return this
  }

  /** Writes a UTF-8 `string` field. */
  string(field: number, value: string): this {
    return this.bytes(field, UTF8.encode(value))
  }

  /** Writes a `bytes` field or an already-encoded embedded message. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN)
    this.varint(BigInt(value.length))
    this.flush()
    this.chunks.push(value)
    return this
  }

  /** Writes an embedded message built by another writer. */
  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish())
  }

  /** Writes a packed `repeated int64` field. */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter()
    for (const v of values) inner.varint(BigInt(v))
    inner.flush()
    return this.bytes(field, inner.finish())
  }

  /** Writes a packed `repeated float` field. */
  packedFloats(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 4)
    const view = new DataView(bytes.buffer)
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true)
    return this.bytes(field, bytes)
  }

  /** The encoded message. */
  finish(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0)
    const out = new Uint8Array(total)
    let offset = 0
    for (const chunk of this.chunks) {
      out.set(chunk, offset)
      offset += chunk.length
    }
    return out
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType))
  }

  private varint(value: bigint): void {
    // int64 varints carry negative numbers as their 64-bit two's complement.
    let v = BigInt.asUintN(64, value)
    while (v >= 0x80n) {
      this.scratch.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    this.scratch.push(Number(v))
  }

  private flush(): this {
    if (this.scratch.length > 0) {
      this.chunks.push(Uint8Array.from(this.scratch))
      this.scratch = []
    }
    return this
  }
}
