/**
 * @module
 * {@link InferenceBackend} on onnxruntime-node. Sessions are created by path so
 * that external-data weights beside `model.onnx` load; each session gets exactly
 * one provider, because ORT throws on an unavailable one rather than falling back.
 */
import * as ort from 'onnxruntime-node'
import type { InferenceBackend, ModelSession, Tensor, TensorInfo } from './types.ts'

/** Options of {@link createOnnxNodeBackend}. */
export interface OnnxNodeOptions {
  /** Threads per session for one operator. @defaultValue ORT's choice (the physical cores) */
  intraOpThreads?: number
  /**
   * Let idle ORT threads spin between operators. Off by default: spinning threads
   * take the CPU from the JavaScript that runs between UNet steps.
   * @defaultValue false
   */
  spinning?: boolean
}

/**
 * Creates the onnxruntime-node backend.
 * @example
 * const backend = createOnnxNodeBackend({ intraOpThreads: 2 })
 */
export function createOnnxNodeBackend(options: OnnxNodeOptions = {}): InferenceBackend {
  const spin = options.spinning ? '1' : '0'
  return {
    name: 'onnxruntime-node',
    createSession: (modelPath, provider) =>
      openOrtSession(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
        extra: {
          session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } },
        },
      }),
  }
}

/** The onnxruntime-node backend with default options. */
export const onnxNodeBackend: InferenceBackend = createOnnxNodeBackend()

async function openOrtSession(
  modelPath: string,
  sessionOptions: ort.InferenceSession.SessionOptions,
): Promise<ModelSession> {
  const session = await ort.InferenceSession.create(modelPath, sessionOptions)
  return {
    inputs: session.inputMetadata.map(describe),
    outputs: session.outputMetadata.map(describe),
    async run(feeds, outputNames) {
      const ortFeeds: Record<string, ort.Tensor> = {}
      for (const [name, t] of Object.entries(feeds)) {
        ortFeeds[name] = new ort.Tensor(t.type, t.data, t.dims)
      }
      const results = outputNames
        ? await session.run(ortFeeds, outputNames)
        : await session.run(ortFeeds)
      const out: Record<string, Tensor> = {}
      for (const [name, value] of Object.entries(results)) out[name] = fromOrt(name, value)
      return out
    },
    release: () => session.release(),
  }
}

function describe(meta: ort.InferenceSession.ValueMetadata): TensorInfo {
  return meta.isTensor
    ? { name: meta.name, type: meta.type, shape: meta.shape }
    : { name: meta.name, type: 'non-tensor', shape: [] }
}

function fromOrt(name: string, value: ort.OnnxValue): Tensor {
  const { type, data, dims } = value as ort.Tensor
  if (type === 'float32') return { type, data: data as Float32Array, dims }
  if (type === 'int32') return { type, data: data as Int32Array, dims }
  if (type === 'int64') return { type, data: data as BigInt64Array, dims }
  throw new Error(`Model output ${name} has element type ${type}; expected float32, int32 or int64`)
}
