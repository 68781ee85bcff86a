/**
 * @module
 * Writes a complete tiny model set in the ONNX export layout, with SD 1.5's
 * scheduler config (or SDXL's layout: two encoders, added conditioning, its
 * VAE scaling factor), in float32 or as an fp16 export, so the pipeline, the
 * worker and the demo run everywhere without downloading weights.
 * Deterministic for a seed; takes milliseconds.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SdFamily } from '../layout.ts'
import { encodeModel, type GraphSpec } from '../onnx/onnx-model.ts'
import { toFloat16Graph } from '../onnx/to-float16.ts'
import type { Precision } from '../precision/boundary.ts'
import type { TimestepSpacing } from '../schedulers/noise-schedule.ts'
import type { SchedulerKind } from '../schedulers/types.ts'
import {
  TINY_DIMS,
  type TinyTimestep,
  tinyTextEncoder,
  tinyUnet,
  tinyVaeDecoder,
} from './tiny-models.ts'
import { tinyTokenizer } from './tiny-tokenizer.ts'

/** Options of {@link writeTinySdModelSet}. */
export interface TinySdOptions {
  /** Seed of the random weights. @defaultValue 0 */
  seed?: number
  /** The UNet's timestep input. @defaultValue `'int64'` */
  timestep?: TinyTimestep
  /** Element type of `input_ids`. @defaultValue `'int32'` */
  inputIds?: 'int32' | 'int64'
  /** Scheduler class written to the config (with SD 1.5's schedule). @defaultValue `'pndm'` */
  scheduler?: SchedulerKind
  /** Give the UNet LCM's `timestep_cond` input. @defaultValue false */
  timestepCond?: boolean
  /** SD 1.x layout, or SDXL's (two encoders, `text_embeds`/`time_ids`, scaling 0.13025). @defaultValue `'sd'` */
  family?: SdFamily
  /** Precision of the encoders and the UNet (`fp16`: an `--fp16` export). @defaultValue `'fp32'` */
  precision?: Precision
  /** Precision of the VAE decoder (SDXL's fp16 VAE needs the fp16-fix, so exports often keep it fp32). @defaultValue `precision` */
  vaePrecision?: Precision
  /** `timestep_spacing` in the scheduler config (`trailing` for Turbo). @defaultValue absent (the class's default) */
  timestepSpacing?: TimestepSpacing
  /** UNet inner channels (a benchmark set's UNet is wider). @defaultValue TINY_DIMS.unetChannels */
  unetChannels?: number
  /** Extra full-resolution conv blocks in the UNet (see TinyUnetOptions.blocks). @defaultValue 0 */
  unetBlocks?: number
}

const SCHEDULER_CLASS_NAMES: Record<SchedulerKind, string> = {
  ddim: 'DDIMScheduler',
  pndm: 'PNDMScheduler',
  euler: 'EulerDiscreteScheduler',
  'euler-ancestral': 'EulerAncestralDiscreteScheduler',
  lcm: 'LCMScheduler',
}

/** Stable Diffusion 1.5's scheduler_config.json (FACTS.md), with the class swapped in. */
function schedulerConfig(kind: SchedulerKind, spacing: TimestepSpacing | undefined): object {
  return {
    ...(spacing ? { timestep_spacing: spacing } : {}),
    _class_name: SCHEDULER_CLASS_NAMES[kind],
    _diffusers_version: '0.6.0',
    beta_end: 0.012,
    beta_schedule: 'scaled_linear',
    beta_start: 0.00085,
    clip_sample: false,
    num_train_timesteps: 1000,
    set_alpha_to_one: false,
    skip_prk_steps: true,
    steps_offset: 1,
    trained_betas: null,
  }
}

const SDXL_MODEL_INDEX = {
  _class_name: 'StableDiffusionXLPipeline',
  _diffusers_version: '0.30.0',
  force_zeros_for_empty_prompt: true,
  scheduler: ['diffusers', 'EulerDiscreteScheduler'],
  text_encoder: ['transformers', 'CLIPTextModel'],
  text_encoder_2: ['transformers', 'CLIPTextModelWithProjection'],
  tokenizer: ['transformers', 'CLIPTokenizer'],
  tokenizer_2: ['transformers', 'CLIPTokenizer'],
  unet: ['diffusers', 'UNet2DConditionModel'],
  vae: ['diffusers', 'AutoencoderKL'],
}

const MODEL_INDEX = {
  _class_name: 'OnnxStableDiffusionPipeline',
  _diffusers_version: '0.30.0',
  feature_extractor: [null, null],
  requires_safety_checker: false,
  safety_checker: [null, null],
  scheduler: ['diffusers', 'PNDMScheduler'],
  text_encoder: ['diffusers', 'OnnxRuntimeModel'],
  tokenizer: ['transformers', 'CLIPTokenizer'],
  unet: ['diffusers', 'OnnxRuntimeModel'],
  vae_decoder: ['diffusers', 'OnnxRuntimeModel'],
  vae_encoder: [null, null],
}

/**
 * Writes the tiny model set into `dir` (created if needed; files are overwritten).
 * @example
 * await writeTinySdModelSet('.data/models/tiny-sd', { timestep: 'scalar', seed: 1 })
 */
export async function writeTinySdModelSet(dir: string, options: TinySdOptions = {}): Promise<void> {
  const seed = options.seed ?? 0
  const scheduler = options.scheduler ?? 'pndm'
  const xl = options.family === 'sdxl'
  const precision = options.precision ?? 'fp32'
  const tokenizer = tinyTokenizer()
  const index = xl ? SDXL_MODEL_INDEX : MODEL_INDEX
  const files: Record<string, string | Uint8Array> = {
    'model_index.json': json({
      ...index,
      scheduler: ['diffusers', SCHEDULER_CLASS_NAMES[scheduler]],
    }),
    'scheduler/scheduler_config.json': json(schedulerConfig(scheduler, options.timestepSpacing)),
    'vae_decoder/config.json': json({
      _class_name: 'AutoencoderKL',
      latent_channels: 4,
      out_channels: 3,
      // Only the length matters to the pipeline: 4 blocks upsample 2^3 = 8x.
      block_out_channels: [8, 8, 8, 8],
      scaling_factor: xl ? 0.13025 : 0.18215,
      // SDXL's VAE overflows in float16, so its config asks for float32 decoding.
      ...(xl ? { force_upcast: true } : {}),
    }),
  }
  const inputIds = options.inputIds ?? 'int32'
  const inPrecision = (graph: GraphSpec, p: Precision): GraphSpec =>
    p === 'fp16' ? toFloat16Graph(graph) : graph
  const model = (graph: GraphSpec) => encode(inPrecision(graph, precision))
  for (const [name, text] of Object.entries(tokenizer.files)) files[`tokenizer/${name}`] = text
  // Each network gets its own seed stream so changing one leaves the others alone.
  files['text_encoder/model.onnx'] = model(
    tinyTextEncoder(seed * 3 + 1, tokenizer.vocabSize, { inputIds, hiddenStates: xl }),
  )
  if (xl) {
    // SDXL's second tokenizer pads with "!" rather than the end token.
    const second = tinyTokenizer('!')
    for (const [name, text] of Object.entries(second.files)) files[`tokenizer_2/${name}`] = text
    files['text_encoder_2/model.onnx'] = model(
      tinyTextEncoder(seed * 3 + 4, second.vocabSize, {
        inputIds,
        hidden: TINY_DIMS.hidden2,
        hiddenStates: true,
        projection: TINY_DIMS.hidden2,
      }),
    )
  }
  const unetGraph = tinyUnet(seed * 3 + 2, {
    timestep: options.timestep ?? 'int64',
    timestepCond: options.timestepCond ?? false,
    ...(options.unetChannels ? { channels: options.unetChannels } : {}),
    ...(options.unetBlocks ? { blocks: options.unetBlocks } : {}),
    ...(xl
      ? { textHidden: TINY_DIMS.hidden + TINY_DIMS.hidden2, textEmbeds: TINY_DIMS.hidden2 }
      : {}),
  })
  const unet = encodeModel(inPrecision(unetGraph, precision), {
    externalDataFile: 'model.onnx_data',
  })
  files['unet/model.onnx'] = unet.model
  if (unet.externalData) files['unet/model.onnx_data'] = unet.externalData
  files['vae_decoder/model.onnx'] = encode(
    inPrecision(tinyVaeDecoder(seed * 3 + 3), options.vaePrecision ?? precision),
  )

  const folders = ['tokenizer', 'text_encoder', 'unet', 'vae_decoder', 'scheduler']
  if (xl) folders.push('tokenizer_2', 'text_encoder_2')
  for (const sub of folders) await mkdir(join(dir, sub), { recursive: true })
  await Promise.all(Object.entries(files).map(([name, data]) => writeFile(join(dir, name), data)))
}

function encode(graph: GraphSpec): Uint8Array {
  return encodeModel(graph).model
}

function json(value: object): string {
  return `${JSON.stringify(value, null, 2)}\n`
}
