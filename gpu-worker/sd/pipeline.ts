/**
 * @module
 * Stable Diffusion text-to-image on three ONNX sessions: CLIP tokenizer, text
 * encoder (unconditional and conditional in one batch of 2), the UNet loop
 * under a scheduler, then the VAE decoder. Sessions load once; generate() may
 * run many times, concurrently. All latent math runs on preallocated
 * Float32Arrays, so the loop allocates nothing per element.
 */

import { SeededRandom } from '../../core/platform/random.ts'
import { onnxNodeBackend } from './backend/onnx-node.ts'
import { openSession } from './backend/open-session.ts'
import type { InferenceBackend, ModelSession, SdLogger, Tensor } from './backend/types.ts'
import {
  type GenerateOptions,
  type ResolvedGenerateOptions,
  resolveGenerateOptions,
  SdInputError,
} from './generate-options.ts'
import { applyGuidance, guidanceEmbedding } from './guidance.ts'
import { planarToRgb } from './image.ts'
import { bindSdSessions, type SdBindings } from './model-bindings.ts'
import { readSdModelFiles, type SdModelFiles } from './model-files.ts'
import { createScheduler } from './schedulers/create-scheduler.ts'
import type { Scheduler, SchedulerKind, SchedulerRun } from './schedulers/types.ts'
import { type ClipTokenizer, loadClipTokenizer } from './tokenizer/index.ts'

/** Options of {@link loadSdPipeline}. */
export interface SdPipelineOptions {
  /** Execution providers, tried in order per model (`EXECUTION_PROVIDERS`). @defaultValue `['cpu']` */
  providers?: readonly string[]
  /** Where provider fallbacks and notes go (pino-compatible). @defaultValue silent */
  logger?: SdLogger
  /** Use this scheduler instead of the config's class (its schedule still comes from the file). */
  scheduler?: SchedulerKind
  /** Inference backend. @defaultValue onnxruntime-node */
  backend?: InferenceBackend
}

/** Milliseconds per stage of one generation. */
export interface StageTimings {
  /** Tokenizing both prompts. */
  tokenizeMs: number
  /** The text encoder's session.run. */
  textEncoderMs: number
  /** All UNet session.run calls together. */
  unetMs: number
  /** The VAE decoder's session.run. */
  vaeMs: number
  /** Everything else: noise, scheduler steps, guidance, tensor set-up, pixel conversion. */
  overheadMs: number
  /** Wall time of the whole generation. */
  totalMs: number
}

/** A generated image: interleaved RGB bytes plus how it was made. */
export interface GeneratedImage {
  width: number
  height: number
  channels: 3
  /** width * height * 3 bytes, row-major, RGB. */
  data: Uint8Array
  seed: number
  steps: number
  guidanceScale: number
  /** UNet evaluations made (PNDM makes steps + 1). */
  unetEvaluations: number
  scheduler: SchedulerKind
  timings: StageTimings
}

/** Execution provider each model runs on. */
export interface SdProviders {
  textEncoder: string
  unet: string
  vaeDecoder: string
}

/**
 * Loads a model set (the ONNX export layout) and opens its sessions.
 * @throws SdModelError for a missing file or an unexpected tensor, naming both
 * @example
 * const pipe = await loadSdPipeline('/models/sd15', { providers: ['webgpu', 'cpu'], logger })
 * const image = await pipe.generate({ prompt: 'shirt design', seed: 1 })
 * await pipe.release()
 */
export async function loadSdPipeline(
  dir: string,
  options: SdPipelineOptions = {},
): Promise<SdPipeline> {
  const files = await readSdModelFiles(dir)
  const scheduler = createScheduler(files.scheduler, options.scheduler, options.logger)
  const tokenizer = await loadClipTokenizer(files.tokenizerDir)
  const backend = options.backend ?? onnxNodeBackend
  const providers = options.providers ?? ['cpu']
  const opened: ModelSession[] = []
  try {
    const open = async (path: string, model: string) => {
      const result = await openSession(backend, path, providers, model, options.logger)
      opened.push(result.session)
      return result
    }
    const textEncoder = await open(files.textEncoderPath, 'text_encoder')
    const unet = await open(files.unetPath, 'unet')
    const vaeDecoder = await open(files.vaeDecoderPath, 'vae_decoder')
    const sessions = {
      textEncoder: textEncoder.session,
      unet: unet.session,
      vaeDecoder: vaeDecoder.session,
    }
    const bindings = bindSdSessions(sessions, {
      textEncoder: files.textEncoderPath,
      unet: files.unetPath,
      vaeDecoder: files.vaeDecoderPath,
    })
    const providersInUse = {
      textEncoder: textEncoder.provider,
      unet: unet.provider,
      vaeDecoder: vaeDecoder.provider,
    }
    return new SdPipeline(files, tokenizer, scheduler, sessions, bindings, providersInUse)
  } catch (err) {
    await Promise.allSettled(opened.map((s) => s.release()))
    throw err
  }
}

/** A loaded Stable Diffusion pipeline. Create it with {@link loadSdPipeline}. */
export class SdPipeline {
  /** @internal use {@link loadSdPipeline} */
  constructor(
    readonly files: SdModelFiles,
    readonly tokenizer: ClipTokenizer,
    readonly scheduler: Scheduler,
    private readonly sessions: {
      textEncoder: ModelSession
      unet: ModelSession
      vaeDecoder: ModelSession
    },
    readonly bindings: SdBindings,
    readonly providers: SdProviders,
  ) {}

  /**
   * Generates one image.
   * @throws SdInputError for options out of range (before any model runs)
   * @example
   * const { data, width, height, timings } = await pipe.generate({ prompt: 'a cat', seed: 7, steps: 20 })
   */
  async generate(options: GenerateOptions): Promise<GeneratedImage> {
    const opts = resolveGenerateOptions(options, this.scheduler.kind)
    const started = performance.now()
    const timings = { tokenizeMs: 0, textEncoderMs: 0, unetMs: 0, vaeMs: 0 }
    const { latentChannels, timestepCondDim } = this.bindings
    // LCM UNets take the guidance scale as an embedding and need no unconditional pass.
    const guided = opts.guidanceScale > 1 && timestepCondDim === null
    const batch = guided ? 2 : 1

    let t0 = performance.now()
    const prompts = guided ? [opts.negativePrompt, opts.prompt] : [opts.prompt]
    const ids = this.inputIds(prompts)
    timings.tokenizeMs = performance.now() - t0

    t0 = performance.now()
    const encoded = await this.sessions.textEncoder.run({ input_ids: ids }, ['last_hidden_state'])
    timings.textEncoderMs = performance.now() - t0
    const hidden = floatOutput(encoded, 'last_hidden_state', this.files.textEncoderPath)

    const scale = this.files.vaeScaleFactor
    const [h, w] = [opts.height / scale, opts.width / scale]
    const size = latentChannels * h * w
    const random = new SeededRandom(opts.seed)
    const run = this.startScheduler(opts, size, random)
    const latents = new Float32Array(size)
    random.fill(latents)
    scaleInPlace(latents, run.initNoiseSigma)

    const modelInput = new Float32Array(batch * size)
    const guidedOutput = new Float32Array(guided ? size : 0)
    const timestep = this.timestepTensor(batch)
    const feeds: Record<string, Tensor> = {
      sample: { type: 'float32', data: modelInput, dims: [batch, latentChannels, h, w] },
      timestep,
      encoder_hidden_states: hidden,
    }
    if (timestepCondDim !== null) {
      const embedding = guidanceEmbedding(opts.guidanceScale, timestepCondDim)
      const cond = new Float32Array(batch * timestepCondDim)
      for (let b = 0; b < batch; b++) cond.set(embedding, b * timestepCondDim)
      feeds.timestep_cond = { type: 'float32', data: cond, dims: [batch, timestepCondDim] }
    }

    const total = run.timesteps.length
    for (let i = 0; i < total; i++) {
      options.signal?.throwIfAborted()
      scaleInto(latents, run.modelInputScale(i), modelInput, batch)
      setTimestep(timestep, run.timesteps[i]!)
      t0 = performance.now()
      const out = await this.sessions.unet.run(feeds, ['out_sample'])
      timings.unetMs += performance.now() - t0
      const prediction = floatOutput(out, 'out_sample', this.files.unetPath).data
      if (guided) applyGuidance(prediction, opts.guidanceScale, guidedOutput)
      run.step(guided ? guidedOutput : prediction, i, latents)
      options.onProgress?.(i + 1, total)
    }

    scaleInPlace(latents, 1 / this.files.vaeScalingFactor)
    t0 = performance.now()
    const decoded = await this.sessions.vaeDecoder.run(
      { latent_sample: { type: 'float32', data: latents, dims: [1, latentChannels, h, w] } },
      ['sample'],
    )
    timings.vaeMs = performance.now() - t0
    const pixels = floatOutput(decoded, 'sample', this.files.vaeDecoderPath)
    const data = planarToRgb(pixels.data, opts.width, opts.height)

    const totalMs = performance.now() - started
    const inModels = timings.tokenizeMs + timings.textEncoderMs + timings.unetMs + timings.vaeMs
    return {
      width: opts.width,
      height: opts.height,
      channels: 3,
      data,
      seed: opts.seed,
      steps: opts.steps,
      guidanceScale: opts.guidanceScale,
      unetEvaluations: total,
      scheduler: this.scheduler.kind,
      timings: { ...timings, overheadMs: totalMs - inModels, totalMs },
    }
  }

  /** Frees the sessions; the pipeline cannot generate afterwards. */
  async release(): Promise<void> {
    const results = await Promise.allSettled(Object.values(this.sessions).map((s) => s.release()))
    const failed = results.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
  }

  private startScheduler(
    opts: ResolvedGenerateOptions,
    size: number,
    random: SeededRandom,
  ): SchedulerRun {
    try {
      return this.scheduler.start(opts.steps, size, random)
    } catch (err) {
      // The scheduler's own limits on steps (LCM: at most original_inference_steps) are input errors.
      throw new SdInputError((err as Error).message)
    }
  }

  private inputIds(prompts: readonly string[]): Tensor {
    const length = this.tokenizer.maxLength
    const ids = new Int32Array(prompts.length * length)
    for (const [i, prompt] of prompts.entries())
      ids.set(this.tokenizer.encode(prompt).ids, i * length)
    const dims = [prompts.length, length]
    if (this.bindings.inputIdsType === 'int32') return { type: 'int32', data: ids, dims }
    return { type: 'int64', data: BigInt64Array.from(ids, (v) => BigInt(v)), dims }
  }

  private timestepTensor(batch: number): Tensor {
    const { type, scalar } = this.bindings.timestep
    const dims = scalar ? [] : [batch]
    const n = scalar ? 1 : batch
    return type === 'int64'
      ? { type, data: new BigInt64Array(n), dims }
      : { type, data: new Float32Array(n), dims }
  }
}

/** Writes the timestep into every entry; int64 exports get it rounded (Euler's are fractional). */
function setTimestep(tensor: Tensor, t: number): void {
  if (tensor.type === 'int64') tensor.data.fill(BigInt(Math.round(t)))
  else if (tensor.type === 'float32') tensor.data.fill(t)
}

function scaleInPlace(values: Float32Array, factor: number): void {
  if (factor === 1) return
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * factor
}

/** Writes `factor * latents` into each of the `batch` copies in `out`. */
function scaleInto(latents: Float32Array, factor: number, out: Float32Array, batch: number): void {
  const n = latents.length
  for (let i = 0; i < n; i++) out[i] = latents[i]! * factor
  for (let b = 1; b < batch; b++) out.copyWithin(b * n, 0, n)
}

function floatOutput(
  outputs: Record<string, Tensor>,
  name: string,
  path: string,
): Extract<Tensor, { type: 'float32' }> {
  const tensor = outputs[name]
  if (tensor?.type !== 'float32') {
    throw new Error(`${path}: output "${name}" is missing or not float32`)
  }
  return tensor
}
