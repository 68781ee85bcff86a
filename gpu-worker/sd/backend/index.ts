/**
 * @module
 * Inference backends: the contract, provider fallback and the onnxruntime-node adapter.
 */
export { createOnnxNodeBackend, type OnnxNodeOptions, onnxNodeBackend } from './onnx-node.ts'
export { type OpenedSession, openSession } from './open-session.ts'
export type {
  InferenceBackend,
  ModelSession,
  SdLogger,
  Tensor,
  TensorInfo,
  TensorType,
} from './types.ts'
