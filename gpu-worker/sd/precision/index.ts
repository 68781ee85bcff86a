/**
 * @module
 * Mixed precision: float16 <-> float32 conversion and the session boundary where it happens.
 */
export { type Precision, precisionOf, toComputeType, toDeclaredType } from './boundary.ts'
export { float16ToFloat32, float32ToFloat16, fromFloat16Bits, toFloat16Bits } from './float16.ts'
