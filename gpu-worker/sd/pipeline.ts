/**
 * @module
 * Stable Diffusion (SD 1.x/2.x, SDXL, their LCM and Turbo variants) text-to-image
 * on ONNX sessions: CLIP tokenizer(s), text encoder(s) (unconditional and
 * conditional in one batch of 2 when guided), the UNet loop under a scheduler,
 * then the VAE decoder. Sessions load once; generate() may run many times,
 * concurrently. All latent math runs in float32 on preallocated arrays; fp16
 * models get their tensors converted at the session boundary. The conditioning
 * is handed to the backend once per generation and reused by every step; on a
 * GPU provider the SD text encoder's output never leaves the device, and with a
 * linear scheduler (Euler, DDIM) neither do the latents: guidance and the step
 * run in a step graph (step-graph/) between UNet calls.
 */

import { SeededRandom } from '../../core/platform/random.ts'
import { DEVICE_PROVIDERS, onnxNodeBackend } from './backend/onnx-node.ts'
import { openSession } from './backend/open-session.ts'
import type {
  Feed,
  HeldTensor,
  InferenceBackend,
  ModelSession,
  SdLogger,
  Tensor,
} from './backend/types.ts'
import { concatFeatures, repeatBatch, sdxlTimeIds, withZeroNegative } from './conditioning.ts'
import { type DenoiseLoop, graphSteps, jsSteps } from './denoise.ts'
import {
  type GenerateOptions,
  type ModelDefaults,
  type ResolvedGenerateOptions,
  resolveGenerateOptions,
  SdInputError,
} from './generate-options.ts'
import { guidanceEmbedding } from './guidance.ts'
import { dispose, floatOutput, scaleInPlace, toHost } from './host-tensors.ts'
import { planarToRgb } from './image.ts'
import { layoutDefaults } from './layout.ts'
import { bindSdSessions, type SdBindings, type SdSessions } from './model-bindings.ts'
import { readSdModelFiles, type SdModelFiles } from './model-files.ts'
import { createScheduler } from './schedulers/create-scheduler.ts'
import type { Scheduler, SchedulerKind, SchedulerRun } from './schedulers/types.ts'
import { openStepGraph, type StepGraphTypes } from './step-graph/index.ts'
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
  /**
   * Where guidance and the scheduler step run for linear schedulers (Euler, DDIM
   * with eta 0; the others always run them in JS): `auto` in the step graph on
   * WebGPU/CUDA, keeping latents on the device, and in JS on the CPU; `always`
   * in the step graph on any provider (tests, the GPU check); `never` in JS.
   * @defaultValue `'auto'`
   */
  deviceSteps?: DeviceStepsMode
}

/** See {@link SdPipelineOptions.deviceSteps}. */
export type DeviceStepsMode = 'auto' | 'always' | 'never'

/** Where a generation's guidance and scheduler steps ran: in JavaScript or in the step graph. */
export type StepPath = 'js' | 'step-graph'

/** Milliseconds per stage of one generation. */
export interface StageTimings {
  /** Tokenizing both prompts. */
  tokenizeMs: number
  /** The text encoders' session.run. */
  textEncoderMs: number
  /** All UNet session.run calls together (fp16 conversion of their tensors included). */
  unetMs: number
  /** The VAE decoder's session.run. */
  vaeMs: number
  /** Everything else: noise, scheduler steps, guidance, tensor set-up, pixel conversion. */
  overheadMs: number
  /** Wall time of the whole generation. */
  totalMs: number
}

/** Time outside session.run: tokenizing plus the pipeline's own overhead. */
export function outsideSessionMs(t: StageTimings): number {
  return t.tokenizeMs + t.overheadMs
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
  /** Where guidance and the scheduler steps ran. */
  stepPath: StepPath
  timings: StageTimings
}

/** Execution provider each model runs on. */
export interface SdProviders {
  textEncoder: string
  unet: string
  vaeDecoder: string
}

/** What a pipeline runs, as metrics label it. */
export interface SdModelLabels {
  /** `sd`, `sdxl`, `sd-lcm`, `sd-turbo`, `sdxl-turbo`... */
  layout: string
  /** The UNet's precision, with the VAE's when it differs: `fp32`, `fp16`, `fp16-vae-fp32`. */
  precision: string
}

/**
 * Loads a model set (the ONNX export layout) and opens its sessions.
 * @throws SdModelError for a missing file, an unsupported layout or an unexpected tensor, naming it
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
  const tokenizers = [await loadClipTokenizer(files.tokenizerDir)]
  if (files.second) tokenizers.push(await loadClipTokenizer(files.second.tokenizerDir))
  const backend = options.backend ?? onnxNodeBackend
  const providers = options.providers ?? ['cpu']
  const opened: ModelSession[] = []
  try {
    const open = async (path: string, model: string, deviceOutputs?: string[]) => {
      const result = await openSession(backend, path, providers, model, options.logger, {
        ...(deviceOutputs ? { deviceOutputs } : {}),
      })
      opened.push(result.session)
      return result
    }
    // SD's encoder output is exactly the UNet's encoder_hidden_states: let it stay on the device.
    const sd = files.layout.family === 'sd'
    const textEncoder = await open(
      files.textEncoderPath,
      'text_encoder',
      sd ? ['last_hidden_state'] : undefined,
    )
    const textEncoder2 = files.second
      ? await open(files.second.textEncoderPath, 'text_encoder_2')
      : undefined
    const mode = options.deviceSteps ?? 'auto'
    const linear = scheduler.linear && mode !== 'never'
    const unet = await open(files.unetPath, 'unet', linear ? ['out_sample'] : undefined)
    const vaeDecoder = await open(files.vaeDecoderPath, 'vae_decoder')
    const sessions: SdSessions<ModelSession> = {
      textEncoder: textEncoder.session,
      ...(textEncoder2 ? { textEncoder2: textEncoder2.session } : {}),
      unet: unet.session,
      vaeDecoder: vaeDecoder.session,
    }
    const bindings = bindSdSessions(files.layout.family, sessions, {
      textEncoder: files.textEncoderPath,
      ...(files.second ? { textEncoder2: files.second.textEncoderPath } : {}),
      unet: files.unetPath,
      vaeDecoder: files.vaeDecoderPath,
    })
    const providersInUse = {
      textEncoder: textEncoder.provider,
      unet: unet.provider,
      vaeDecoder: vaeDecoder.provider,
    }
    if (files.vaeNeedsFp32 && bindings.precision.vaeDecoder === 'fp16') {
      options.logger?.warn(
        { model: 'vae_decoder', path: files.vaeDecoderPath },
        'fp16 VAE decoder whose config sets force_upcast: it may overflow (black or NaN images); export the VAE in fp32 or use the fp16-fix VAE',
      )
    }
    const stepGraph =
      linear && (mode === 'always' || DEVICE_PROVIDERS.has(unet.provider))
        ? await openStepGraph(backend, unet.provider, stepGraphTypes(unet.session)).catch(
            (err: unknown) => {
              warnHostFallback(options.logger, unet.provider, err, STEPS_FALLBACK)
              return undefined
            },
          )
        : undefined
    if (stepGraph) opened.push(stepGraph)
    const pipeline = new SdPipeline(
      files,
      tokenizers,
      scheduler,
      sessions,
      bindings,
      providersInUse,
      {
        ...(stepGraph ? { stepGraph } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      },
    )
    await pipeline.probeDeviceConditioning(options.logger)
    return pipeline
  } catch (err) {
    await Promise.allSettled(opened.map((s) => s.release()))
    throw err
  }
}

const STEPS_FALLBACK = 'latents cannot stay on the device: running the scheduler steps in JS'

/** The UNet's conditioning for one generation, held by the backend for every step. */
type Conditioning = Record<string, HeldTensor>

/** Sessions and settings beside the models. */
interface PipelineExtras {
  /** The step graph, when the latents may stay on the device. */
  stepGraph?: ModelSession
  logger?: SdLogger
}

/** A loaded Stable Diffusion pipeline. Create it with {@link loadSdPipeline}. */
export class SdPipeline {
  /** Step and guidance defaults of the detected layout. */
  readonly defaults: ModelDefaults
  /** The layout and precision, for metrics and reports. */
  readonly labels: SdModelLabels
  /** Whether the text encoder's device output may be fed to the UNet as it is (see probeDeviceConditioning). */
  private deviceConditioning = true
  /** Whether the step graph may run (cleared, with a warning, when the provider refuses its device tensors). */
  private deviceSteps = true
  /** Set once the step graph has run a whole generation: later failures are real errors. */
  private deviceStepsProven = false

  /** @internal use {@link loadSdPipeline} */
  constructor(
    readonly files: SdModelFiles,
    readonly tokenizers: readonly ClipTokenizer[],
    readonly scheduler: Scheduler,
    private readonly sessions: SdSessions<ModelSession>,
    readonly bindings: SdBindings,
    readonly providers: SdProviders,
    private readonly extras: PipelineExtras = {},
  ) {
    this.defaults = layoutDefaults(files.layout)
    const { unet, vaeDecoder } = bindings.precision
    this.labels = {
      layout: files.layout.name,
      precision: unet === vaeDecoder ? unet : `${unet}-vae-${vaeDecoder}`,
    }
  }

  /**
   * Generates one image.
   * @throws SdInputError for options out of range (before any model runs)
   * @example
   * const { data, width, height, timings } = await pipe.generate({ prompt: 'a cat', seed: 7, steps: 20 })
   */
  async generate(options: GenerateOptions): Promise<GeneratedImage> {
    const opts = resolveGenerateOptions(options, this.defaults)
    const started = performance.now()
    const timings = { tokenizeMs: 0, textEncoderMs: 0, unetMs: 0, vaeMs: 0 }
    const { latentChannels, timestepCondDim } = this.bindings
    // LCM UNets take the guidance scale as an embedding and need no unconditional pass.
    const guided = opts.guidanceScale > 1 && timestepCondDim === null
    const batch = guided ? 2 : 1

    const conditioning = await this.encode(opts, guided, timings)
    try {
      const scale = this.files.vaeScaleFactor
      const [h, w] = [opts.height / scale, opts.width / scale]
      const size = latentChannels * h * w
      const random = new SeededRandom(opts.seed)
      const run = this.startScheduler(opts, size, random)
      const latents = new Float32Array(size)
      random.fill(latents)
      scaleInPlace(latents, run.initNoiseSigma)

      const unet = this.sessions.unet
      const held = (name: string, data: Float32Array, dims: number[]) => {
        conditioning[name] = unet.hold(name, { type: 'float32', data, dims })
      }
      if (this.bindings.timeIdsDim !== null) {
        const ids = sdxlTimeIds(opts.width, opts.height, this.bindings.timeIdsDim)
        held('time_ids', repeatBatch(ids, batch), [batch, ids.length])
      }
      if (timestepCondDim !== null) {
        const embedding = guidanceEmbedding(opts.guidanceScale, timestepCondDim)
        held('timestep_cond', repeatBatch(embedding, batch), [batch, timestepCondDim])
      }

      const modelInput = new Float32Array(batch * size)
      const timestep = this.timestepTensor(batch)
      const feeds: Record<string, Feed> = {
        ...conditioning,
        sample: { type: 'float32', data: modelInput, dims: [batch, latentChannels, h, w] },
        timestep,
      }

      const loop: DenoiseLoop = {
        run,
        feeds,
        latents,
        modelInput,
        batch,
        guided,
        guidanceScale: opts.guidanceScale,
        timings,
        options,
      }
      const stepPath = await this.denoise(loop)

      scaleInPlace(latents, 1 / this.files.vaeScalingFactor)
      const t0 = performance.now()
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
        unetEvaluations: run.timesteps.length,
        scheduler: this.scheduler.kind,
        stepPath,
        timings: { ...timings, overheadMs: totalMs - inModels, totalMs },
      }
    } finally {
      for (const tensor of Object.values(conditioning)) tensor.dispose()
    }
  }

  /**
   * Runs the UNet loop, leaving the final latents in `loop.latents`: in the step
   * graph where it may run, else (or once, after the provider refused the step
   * graph's device tensors, with a warning) in JavaScript.
   */
  private async denoise(loop: DenoiseLoop): Promise<StepPath> {
    const { stepGraph } = this.extras
    const linearStep = loop.run.linearStep
    if (stepGraph && linearStep && this.deviceSteps) {
      try {
        await graphSteps(loop, this.sessions.unet, stepGraph, linearStep)
        this.deviceStepsProven = true
        return 'step-graph'
      } catch (err) {
        if (this.deviceStepsProven || loop.options.signal?.aborted) throw err
        this.deviceSteps = false
        warnHostFallback(this.extras.logger, this.providers.unet, err, STEPS_FALLBACK)
      }
    }
    await jsSteps(loop, this.sessions.unet, this.files.unetPath)
    return 'js'
  }

  /** Frees the sessions; the pipeline cannot generate afterwards. */
  async release(): Promise<void> {
    const sessions = [...Object.values(this.sessions), this.extras.stepGraph]
    const results = await Promise.allSettled(sessions.map((s) => s?.release()))
    const failed = results.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
  }

  /**
   * Runs the text encoder(s) and hands their conditioning to the UNet's
   * backend: `encoder_hidden_states` (and SDXL's `text_embeds`), batch
   * [negative, prompt] when guided.
   */
  private async encode(
    opts: ResolvedGenerateOptions,
    guided: boolean,
    timings: { tokenizeMs: number; textEncoderMs: number },
  ): Promise<Conditioning> {
    const { layout } = this.files
    const zeroNegative = guided && layout.forceZerosForEmptyPrompt && opts.negativePrompt === ''
    const prompts = guided && !zeroNegative ? [opts.negativePrompt, opts.prompt] : [opts.prompt]
    const encoders = this.bindings.encoders
    const sessions = [this.sessions.textEncoder, this.sessions.textEncoder2]
    const paths = [this.files.textEncoderPath, this.files.second?.textEncoderPath ?? '']
    const hidden: (Tensor | HeldTensor)[] = []
    let pooled: Float32Array | null = null
    for (const [k, encoder] of encoders.entries()) {
      let t0 = performance.now()
      const ids = inputIds(this.tokenizers[k]!, prompts, encoder.inputIdsType)
      timings.tokenizeMs += performance.now() - t0
      t0 = performance.now()
      const names = [encoder.hiddenOutput, ...(encoder.pooledOutput ? [encoder.pooledOutput] : [])]
      const out = await sessions[k]!.run({ input_ids: ids }, names)
      timings.textEncoderMs += performance.now() - t0
      hidden.push(out[encoder.hiddenOutput]!)
      if (encoder.pooledOutput) pooled = floatOutput(out, encoder.pooledOutput, paths[k]!).data
    }

    const unet = this.sessions.unet
    const conditioning: Conditioning = {}
    const only = hidden[0]!
    const declared = unet.inputs.find((i) => i.name === 'encoder_hidden_states')!.type
    if (
      hidden.length === 1 &&
      'held' in only &&
      only.type === declared &&
      this.deviceConditioning
    ) {
      // Already on the device in the UNet's type: hand it over as it is.
      conditioning.encoder_hidden_states = only
      return conditioning
    }
    const host = await Promise.all(hidden.map((t) => toHost(t, 'text encoder', 't')))
    const rows = prompts.length * this.tokenizers[0]!.maxLength
    const widths = host.map((t) => t.data.length / rows)
    let states =
      host.length === 1
        ? host[0]!.data
        : concatFeatures(
            host.map((t) => t.data),
            widths,
            rows,
          )
    if (zeroNegative) {
      states = withZeroNegative(states)
      if (pooled) pooled = withZeroNegative(pooled)
    }
    const batch = zeroNegative ? 2 : prompts.length
    const width = widths.reduce((a, b) => a + b, 0)
    conditioning.encoder_hidden_states = unet.hold('encoder_hidden_states', {
      type: 'float32',
      data: states,
      dims: [batch, this.tokenizers[0]!.maxLength, width],
    })
    if (pooled) {
      conditioning.text_embeds = unet.hold('text_embeds', {
        type: 'float32',
        data: pooled,
        dims: [batch, pooled.length / batch],
      })
    }
    return conditioning
  }

  /**
   * On a device provider, feeds the text encoder's device-resident output to
   * the UNet once (an 8x8 latent). A provider that cannot take it back as an
   * input costs a warning and a copy through the host per generation, never a
   * failed job. Nothing to probe on the CPU or for SDXL (its states are
   * concatenated on the host).
   * @internal called by {@link loadSdPipeline}
   */
  async probeDeviceConditioning(logger?: SdLogger): Promise<void> {
    const encoder = this.bindings.encoders[0]!
    if (this.bindings.encoders.length > 1 || !DEVICE_PROVIDERS.has(this.providers.textEncoder))
      return
    const ids = inputIds(this.tokenizers[0]!, [''], encoder.inputIdsType)
    const out = await this.sessions.textEncoder.run({ input_ids: ids }, [encoder.hiddenOutput])
    const states = out[encoder.hiddenOutput]!
    if (!('held' in states)) return
    const unet = this.sessions.unet
    const declared = unet.inputs.find((i) => i.name === 'encoder_hidden_states')!.type
    const c = this.bindings.latentChannels
    const feeds: Record<string, Feed> = {
      encoder_hidden_states: states,
      sample: { type: 'float32', data: new Float32Array(c * 64), dims: [1, c, 8, 8] },
      timestep: this.timestepTensor(1),
    }
    const condDim = this.bindings.timestepCondDim
    if (condDim !== null) {
      feeds.timestep_cond = { type: 'float32', data: new Float32Array(condDim), dims: [1, condDim] }
    }
    try {
      if (states.type !== declared)
        throw new Error(`encoder gives ${states.type}, UNet takes ${declared}`)
      const out = await unet.run(feeds, ['out_sample'])
      for (const tensor of Object.values(out)) dispose(tensor)
    } catch (err) {
      this.deviceConditioning = false
      warnHostFallback(
        logger,
        this.providers.unet,
        err,
        'text encoder output cannot stay on the device: copying it through the host',
      )
    } finally {
      states.dispose()
    }
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

  private timestepTensor(batch: number): Tensor {
    const { type, scalar } = this.bindings.timestep
    const dims = scalar ? [] : [batch]
    const n = scalar ? 1 : batch
    return type === 'int64'
      ? { type, data: new BigInt64Array(n), dims }
      : { type, data: new Float32Array(n), dims }
  }
}

function inputIds(
  tokenizer: ClipTokenizer,
  prompts: readonly string[],
  type: 'int32' | 'int64',
): Tensor {
  const length = tokenizer.maxLength
  const ids = new Int32Array(prompts.length * length)
  for (const [i, prompt] of prompts.entries()) ids.set(tokenizer.encode(prompt).ids, i * length)
  const dims = [prompts.length, length]
  if (type === 'int32') return { type: 'int32', data: ids, dims }
  return { type: 'int64', data: BigInt64Array.from(ids, (v) => BigInt(v)), dims }
}

/** The warning of a device path that the provider refused: the pipeline goes on through the host. */
function warnHostFallback(
  logger: SdLogger | undefined,
  provider: string,
  err: unknown,
  message: string,
): void {
  logger?.warn({ provider, err: (err as Error).message }, message)
}

/** The step graph's port types: the UNet's `out_sample` and `sample`. */
function stepGraphTypes(unet: ModelSession): StepGraphTypes {
  const half = (type: string | undefined) => (type === 'float16' ? 'float16' : 'float32')
  return {
    output: half(unet.outputs.find((o) => o.name === 'out_sample')?.type),
    sample: half(unet.inputs.find((i) => i.name === 'sample')?.type),
  }
}
