/**
 * @module
 * {@link InferenceBackend} on onnxruntime-node. Sessions are created by path so
 * that external-data weights beside `model.onnx` load; each session gets exactly
 * one provider, because ORT throws on an unavailable one rather than falling back.
 */
import * as ort from 'onnxruntime-node'
import { toComputeType, toDeclaredType } from '../precision/boundary.ts'
import type {
  Feed,
  HeldTensor,
  InferenceBackend,
  ModelSession,
  SessionOpenOptions,
  Tensor,
  TensorInfo,
  TensorType,
} from './types.ts'

/** Providers with device memory that ORT can leave outputs in (IO binding). */
export const DEVICE_PROVIDERS: ReadonlySet<string> = new Set(['webgpu', 'cuda'])

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
    createSession: (modelPath, provider, open: SessionOpenOptions = {}) =>
      openOrtSession(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
        ...deviceLocation(provider, open.deviceOutputs),
        extra: {
          session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } },
        },
      }),
  }
}

function deviceLocation(
  provider: string,
  outputs: readonly string[] | undefined,
): Pick<ort.InferenceSession.SessionOptions, 'preferredOutputLocation'> {
  if (!outputs?.length || !DEVICE_PROVIDERS.has(provider)) return {}
  return { preferredOutputLocation: Object.fromEntries(outputs.map((n) => [n, 'gpu-buffer'])) }
}

/** An ORT tensor kept across runs (in device memory when ORT put it there). */
class OrtHeldTensor implements HeldTensor {
  readonly held = true
  constructor(readonly value: ort.Tensor) {}
  get type(): TensorType {
    return this.value.type as TensorType
  }
  get dims(): readonly number[] {
    return this.value.dims
  }
  get location(): string {
    return this.value.location
  }
  async read(): Promise<Tensor> {
    const { type, dims } = this.value
    const data = (await this.value.getData()) as Float32Array
    return toComputeType(fromOrt('held', new ort.Tensor(type, data, dims)))
  }
  dispose(): void {
    this.value.dispose()
  }
}

/** The onnxruntime-node backend with default options. */
export const onnxNodeBackend: InferenceBackend = createOnnxNodeBackend()

async function openOrtSession(
  modelPath: string,
  sessionOptions: ort.InferenceSession.SessionOptions,
): Promise<ModelSession> {
  const session = await ort.InferenceSession.create(modelPath, sessionOptions)
  const inputs = session.inputMetadata.map(describe)
  const declared = new Map(inputs.map((i) => [i.name, i.type]))
  const toOrt = (name: string, t: Tensor): ort.Tensor => {
    const typed = toDeclaredType(t, declared.get(name) ?? t.type, name)
    return new ort.Tensor(typed.type, typed.data, typed.dims)
  }
  return {
    inputs,
    outputs: session.outputMetadata.map(describe),
    async run(feeds: Record<string, Feed>, outputNames) {
      const ortFeeds: Record<string, ort.Tensor> = {}
      for (const [name, feed] of Object.entries(feeds)) {
        ortFeeds[name] = feed instanceof OrtHeldTensor ? feed.value : toOrt(name, feed as Tensor)
      }
      const results = outputNames
        ? await session.run(ortFeeds, outputNames)
        : await session.run(ortFeeds)
      const out: Record<string, Tensor | HeldTensor> = {}
      for (const [name, value] of Object.entries(results)) {
        const tensor = value as ort.Tensor
        out[name] =
          tensor.location === 'cpu' || tensor.location === 'cpu-pinned'
            ? toComputeType(fromOrt(name, tensor))
            : new OrtHeldTensor(tensor)
      }
      return out
    },
    hold: (name, tensor) => new OrtHeldTensor(toOrt(name, tensor)),
    release: () => session.release(),
  }
}

function describe(meta: ort.InferenceSession.ValueMetadata): TensorInfo {
  return meta.isTensor
    ? { name: meta.name, type: meta.type, shape: meta.shape }
    : { name: meta.name, type: 'non-tensor', shape: [] }
}

function fromOrt(name: string, value: ort.Tensor): Tensor {
  const { type, data, dims } = value
  if (type === 'float32') return { type, data: data as Float32Array, dims }
  // Without Float16Array ORT hands float16 over as its bits; with it, view the same bytes.
  if (type === 'float16') {
    const bytes = data as unknown as ArrayBufferView
    return { type, data: new Uint16Array(bytes.buffer, bytes.byteOffset, value.size), dims }
  }
  if (type === 'int32') return { type, data: data as Int32Array, dims }
  if (type === 'int64') return { type, data: data as BigInt64Array, dims }
  throw new Error(
    `Model output ${name} has element type ${type}; expected float32, float16, int32 or int64`,
  )
}
