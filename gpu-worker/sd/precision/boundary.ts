/**
 * @module
 * Element-type conversion at a session's boundary: the pipeline computes in
 * float32, and a model that declares float16 gets (and gives back) float16.
 * Only float types convert; an integer tensor must already match.
 */
import type { Tensor } from '../backend/types.ts'
import { float16ToFloat32, float32ToFloat16 } from './float16.ts'

/** Precision of a model or of a set, as metrics and reports name it. */
export type Precision = 'fp32' | 'fp16'

/** The precision a declared float element type means (`float16` -> `fp16`). */
export function precisionOf(type: string): Precision {
  return type === 'float16' ? 'fp16' : 'fp32'
}

/**
 * `tensor` as the model input declares it (`declared`: an ONNX type name).
 * @throws Error when the types differ and are not both float
 */
export function toDeclaredType(tensor: Tensor, declared: string, name: string): Tensor {
  if (tensor.type === declared) return tensor
  if (tensor.type === 'float32' && declared === 'float16') {
    return { type: 'float16', data: float32ToFloat16(tensor.data), dims: tensor.dims }
  }
  if (tensor.type === 'float16' && declared === 'float32') {
    return { type: 'float32', data: float16ToFloat32(tensor.data), dims: tensor.dims }
  }
  throw new Error(`input "${name}" is ${declared}; got ${tensor.type}`)
}

/** float16 outputs widened to float32; other tensors as they are. */
export function toComputeType(tensor: Tensor): Tensor {
  return tensor.type === 'float16'
    ? { type: 'float32', data: float16ToFloat32(tensor.data), dims: tensor.dims }
    : tensor
}
