/**
 * @module
 * Inference backends: the contract, provider fallback and the onnxruntime-node adapter.
 */
export {
  createOnnxNodeBackend,
  DEVICE_PROVIDERS,
  type OnnxNodeOptions,
  onnxNodeBackend,
} from './onnx-node.ts'
export { type OpenedSession, openSession } from './open-session.ts'
export type {
  Feed,
  HeldTensor,
  InferenceBackend,
  ModelSession,
  SdLogger,
  SessionOpenOptions,
  Tensor,
  TensorInfo,
  TensorType,
} from './types.ts'
