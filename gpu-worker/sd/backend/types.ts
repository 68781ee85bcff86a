/**
 * @module
 * The inference contract the pipeline is written against (STYLE.md rule 5): a
 * backend opens model files as sessions on one execution provider; a session
 * describes its inputs/outputs and runs plain typed arrays. onnxruntime-node is
 * one adapter (`onnx-node.ts`); tests may supply others.
 */

/** Element types the SD models exchange. */
export type TensorType = 'float32' | 'int32' | 'int64'

/** A dense tensor: typed data in row-major order and its dimensions. */
export type Tensor =
  | { type: 'float32'; data: Float32Array; dims: readonly number[] }
  | { type: 'int32'; data: Int32Array; dims: readonly number[] }
  | { type: 'int64'; data: BigInt64Array; dims: readonly number[] }

/** A model input or output as the model file declares it. */
export interface TensorInfo {
  name: string
  /** The ONNX element type name (`float32`, `int64`, `float16`, ...). */
  type: string
  /** Dimensions; strings are dynamic axes. Empty for a scalar. */
  shape: readonly (number | string)[]
}

/** One loaded model. */
export interface ModelSession {
  readonly inputs: readonly TensorInfo[]
  readonly outputs: readonly TensorInfo[]
  /** Runs the model; returns the named outputs (all of them when none are named). */
  run(
    feeds: Record<string, Tensor>,
    outputNames?: readonly string[],
  ): Promise<Record<string, Tensor>>
  /** Frees the native session. */
  release(): Promise<void>
}

/** Opens model files on an execution provider. */
export interface InferenceBackend {
  readonly name: string
  /**
   * Opens `modelPath` (external weights beside it are found by path) on `provider`.
   * @throws when the provider is unavailable or the model cannot be loaded
   */
  createSession(modelPath: string, provider: string): Promise<ModelSession>
}

/** The logger the SD package writes to: pino's `(obj, msg)` signature. */
export interface SdLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}
