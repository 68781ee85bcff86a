/**
 * @module
 * Encodes ONNX models (ModelProto) from plain descriptions of a graph. Field
 * numbers follow onnx/onnx.proto (IR version 8). Initializer data is written as
 * little-endian `raw_data`, or into a separate external-data file the way
 * optimum stores a large UNet's weights beside `model.onnx`.
 */
import { ProtoWriter } from './protobuf-writer.ts'

/** Element types the tiny models use, with their ONNX `TensorProto.DataType` codes. */
export const ELEM_TYPE = { float32: 1, int32: 6, int64: 7, float16: 10 } as const

/** An element type of {@link ELEM_TYPE}. */
export type ElemType = keyof typeof ELEM_TYPE

/** A constant tensor stored in the graph (a weight). */
export interface InitializerSpec {
  name: string
  type: ElemType
  dims: readonly number[]
  /** float16 as bit patterns (Uint16Array). */
  data: Float32Array | Uint16Array | Int32Array | BigInt64Array
}

/** A node attribute, tagged with its ONNX attribute type. */
export type AttributeSpec =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: readonly number[] }
  | { floats: readonly number[] }

/** One operator in the graph. */
export interface NodeSpec {
  op: string
  inputs: readonly string[]
  outputs: readonly string[]
  attributes?: Record<string, AttributeSpec>
}

/** A graph input or output: a tensor with a shape whose strings are dynamic axes. */
export interface ValueSpec {
  name: string
  type: ElemType
  shape: readonly (number | string)[]
}

/** A whole graph. */
export interface GraphSpec {
  name: string
  nodes: readonly NodeSpec[]
  initializers: readonly InitializerSpec[]
  inputs: readonly ValueSpec[]
  outputs: readonly ValueSpec[]
}

/** Options of {@link encodeModel}. */
export interface EncodeModelOptions {
  /** Default-domain opset. @defaultValue 17 */
  opset?: number
  /**
   * Store the float weights in this file (relative to the model) instead of inside
   * the model, as optimum does for the UNet. Integer tensors stay inline because
   * ORT's shape inference must read them (a Reshape's shape). @defaultValue inline
   */
  externalDataFile?: string
}

/** An encoded model, plus the external-data file's bytes when one was asked for. */
export interface EncodedModel {
  model: Uint8Array
  externalData?: Uint8Array
}

// ModelProto / GraphProto / NodeProto / TensorProto / ... field numbers (onnx.proto).
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8 }
const OPSET = { domain: 1, version: 2 }
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 }
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 }
const ATTR = { name: 1, f: 2, i: 3, s: 4, floats: 7, ints: 8, type: 20 }
const ATTR_TYPE = { f: 1, i: 2, s: 3, floats: 6, ints: 7 }
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9, externalData: 13, dataLocation: 14 }
const ENTRY = { key: 1, value: 2 }
const DATA_LOCATION_EXTERNAL = 1
const VALUE_INFO = { name: 1, type: 2 }
const TYPE = { tensorType: 1 }
const TENSOR_TYPE = { elemType: 1, shape: 2 }
const SHAPE = { dim: 1 }
const DIM = { value: 1, param: 2 }
// IR version 8 is what opsets 17 and 18 were released with.
const IR_VERSION = 8

/**
 * Encodes a graph as an ONNX ModelProto.
 * @example
 * const { model } = encodeModel({ name: 'g', nodes: [{ op: 'Tanh', inputs: ['x'], outputs: ['y'] }],
 *   initializers: [], inputs: [{ name: 'x', type: 'float32', shape: ['n'] }],
 *   outputs: [{ name: 'y', type: 'float32', shape: ['n'] }] })
 */
export function encodeModel(graph: GraphSpec, options: EncodeModelOptions = {}): EncodedModel {
  const external = options.externalDataFile
    ? new ExternalDataBuilder(options.externalDataFile)
    : null
  const g = new ProtoWriter()
  for (const node of graph.nodes) g.message(GRAPH.node, encodeNode(node))
  g.string(GRAPH.name, graph.name)
  for (const init of graph.initializers) g.message(GRAPH.initializer, encodeTensor(init, external))
  for (const input of graph.inputs) g.message(GRAPH.input, encodeValueInfo(input))
  for (const output of graph.outputs) g.message(GRAPH.output, encodeValueInfo(output))

  const model = new ProtoWriter()
    .int(MODEL.irVersion, IR_VERSION)
    .string(MODEL.producerName, 'mockup-platform tiny-sd')
    .string(MODEL.producerVersion, '1')
    .message(MODEL.graph, g)
    .message(
      MODEL.opsetImport,
      new ProtoWriter().string(OPSET.domain, '').int(OPSET.version, options.opset ?? 17),
    )
    .finish()
  return external ? { model, externalData: external.finish() } : { model }
}

function encodeNode(node: NodeSpec): ProtoWriter {
  const w = new ProtoWriter()
  for (const input of node.inputs) w.string(NODE.input, input)
  for (const output of node.outputs) w.string(NODE.output, output)
  w.string(NODE.name, `${node.op}_${node.outputs[0] ?? ''}`)
  w.string(NODE.opType, node.op)
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.message(NODE.attribute, encodeAttribute(name, value))
  }
  return w
}

function encodeAttribute(name: string, value: AttributeSpec): ProtoWriter {
  const w = new ProtoWriter().string(ATTR.name, name)
  if ('i' in value) return w.int(ATTR.i, value.i).int(ATTR.type, ATTR_TYPE.i)
  if ('f' in value) return w.float(ATTR.f, value.f).int(ATTR.type, ATTR_TYPE.f)
  if ('s' in value) return w.string(ATTR.s, value.s).int(ATTR.type, ATTR_TYPE.s)
  if ('ints' in value) return w.packedInts(ATTR.ints, value.ints).int(ATTR.type, ATTR_TYPE.ints)
  return w.packedFloats(ATTR.floats, value.floats).int(ATTR.type, ATTR_TYPE.floats)
}

function encodeTensor(init: InitializerSpec, external: ExternalDataBuilder | null): ProtoWriter {
  const w = new ProtoWriter()
  w.packedInts(TENSOR.dims, init.dims)
  w.int(TENSOR.dataType, ELEM_TYPE[init.type])
  w.string(TENSOR.name, init.name)
  const raw = new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength)
  const isFloat = init.type === 'float32' || init.type === 'float16'
  if (!external || !isFloat) return w.bytes(TENSOR.rawData, littleEndian(raw))
  const { offset, length } = external.add(littleEndian(raw))
  const entries: [string, string][] = [
    ['location', external.location],
    ['offset', String(offset)],
    ['length', String(length)],
  ]
  for (const [key, value] of entries) {
    w.message(
      TENSOR.externalData,
      new ProtoWriter().string(ENTRY.key, key).string(ENTRY.value, value),
    )
  }
  return w.int(TENSOR.dataLocation, DATA_LOCATION_EXTERNAL)
}

function encodeValueInfo(value: ValueSpec): ProtoWriter {
  const shape = new ProtoWriter()
  for (const dim of value.shape) {
    const d = new ProtoWriter()
    if (typeof dim === 'number') d.int(DIM.value, dim)
    else d.string(DIM.param, dim)
    shape.message(SHAPE.dim, d)
  }
  const tensorType = new ProtoWriter()
    .int(TENSOR_TYPE.elemType, ELEM_TYPE[value.type])
    .message(TENSOR_TYPE.shape, shape)
  return new ProtoWriter()
    .string(VALUE_INFO.name, value.name)
    .message(VALUE_INFO.type, new ProtoWriter().message(TYPE.tensorType, tensorType))
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** ONNX raw data is little-endian; typed arrays use the host's order. */
function littleEndian(raw: Uint8Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return raw
  throw new Error('encodeModel: big-endian hosts are not supported')
}

/** Appends tensors to one external-data blob, 16-byte aligned as ONNX's own writer does. */
class ExternalDataBuilder {
  private readonly parts: Uint8Array[] = []
  private size = 0

  constructor(readonly location: string) {}

  add(bytes: Uint8Array): { offset: number; length: number } {
    const padding = (16 - (this.size % 16)) % 16
    if (padding > 0) this.parts.push(new Uint8Array(padding))
    const offset = this.size + padding
    this.parts.push(bytes)
    this.size = offset + bytes.length
    return { offset, length: bytes.length }
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size)
    let at = 0
    for (const part of this.parts) {
      out.set(part, at)
      at += part.length
    }
    return out
  }
}
