/**
 * @module
 * The inference contract the pipeline is written against (STYLE.md rule 5): a
 * backend opens model files as sessions on one execution provider; a session
 * describes its inputs/outputs and runs plain typed arrays. onnxruntime-node is
 * one adapter (`onnx-node.ts`); tests may supply others.
 */

/** Element types the SD models exchange. */
export type TensorType = 'float32' | 'float16' | 'int32' | 'int64'

/** A dense tensor: typed data in row-major order and its dimensions. */
export type Tensor =
  | { type: 'float32'; data: Float32Array; dims: readonly number[] }
  /** float16 as bit patterns (see precision/float16.ts). */
  | { type: 'float16'; data: Uint16Array; dims: readonly number[] }
  | { type: 'int32'; data: Int32Array; dims: readonly number[] }
  | { type: 'int64'; data: BigInt64Array; dims: readonly number[] }

/**
 * A tensor the backend keeps in its own form, to feed to run() many times
 * without converting or uploading it again: on a GPU provider it may live in
 * device memory. Free it with dispose() once the generation is done.
 */
export interface HeldTensor {
  readonly held: true
  readonly type: TensorType
  readonly dims: readonly number[]
  /** Where the data lives: `cpu`, or `gpu-buffer` on the device. */
  readonly location: string
  /** Copies the data back to the host (float16 widened to float32). */
  read(): Promise<Tensor>
  dispose(): void
}

/** What run() takes per input: plain data, or a tensor held by the backend. */
export type Feed = Tensor | HeldTensor

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
  /**
   * Runs the model; returns the named outputs (all of them when none are named).
   * Float inputs may be given as float32 whatever the model declares, and
   * float16 outputs come back as float32: the conversion happens here, at the
   * boundary. Outputs opened as `deviceOutputs` come back held.
   */
  run(
    feeds: Record<string, Feed>,
    outputNames?: readonly string[],
  ): Promise<Record<string, Tensor | HeldTensor>>
  /** Converts `tensor` to the input's declared type once and holds it for many runs. */
  hold(inputName: string, tensor: Tensor): HeldTensor
  /** Frees the native session. */
  release(): Promise<void>
}

/** Options of {@link InferenceBackend.createSession}. */
export interface SessionOpenOptions {
  /**
   * Outputs to leave on the device (ORT's `preferredOutputLocation`) where the
   * provider has one (WebGPU, CUDA); ignored on the CPU.
   */
  deviceOutputs?: readonly string[]
}

/** Opens model files on an execution provider. */
export interface InferenceBackend {
  readonly name: string
  /**
   * Opens `modelPath` (external weights beside it are found by path) on `provider`.
   * @throws when the provider is unavailable or the model cannot be loaded
   */
  createSession(
    modelPath: string,
    provider: string,
    options?: SessionOpenOptions,
  ): Promise<ModelSession>
}

/** The logger the SD package writes to: pino's `(obj, msg)` signature. */
export interface SdLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}
