/**
 * @module
 * Writing ONNX models from TypeScript: a protobuf encoder and a ModelProto builder.
 */
export {
  type AttributeSpec,
  ELEM_TYPE,
  type ElemType,
  type EncodedModel,
  type EncodeModelOptions,
  encodeModel,
  type GraphSpec,
  type InitializerSpec,
  type NodeSpec,
  type ValueSpec,
} from './onnx-model.ts'
export { ProtoWriter } from './protobuf-writer.ts'
export { toFloat16Graph } from './to-float16.ts'
