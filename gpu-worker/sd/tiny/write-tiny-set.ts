/**
 * @module
 * Writes a complete tiny model set in the ONNX export layout, with SD 1.5's
 * scheduler config, so the pipeline, the worker and the demo run everywhere
 * without downloading weights. Deterministic for a seed; takes milliseconds.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { encodeModel, type GraphSpec } from '../onnx/onnx-model.ts'
import type { SchedulerKind } from '../schedulers/types.ts'
import { type TinyTimestep, tinyTextEncoder, tinyUnet, tinyVaeDecoder } from './tiny-models.ts'
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
}

const SCHEDULER_CLASS_NAMES: Record<SchedulerKind, string> = {
  ddim: 'DDIMScheduler',
  pndm: 'PNDMScheduler',
  euler: 'EulerDiscreteScheduler',
  'euler-ancestral': 'EulerAncestralDiscreteScheduler',
  lcm: 'LCMScheduler',
}

/** Stable Diffusion 1.5's scheduler_config.json (FACTS.md), with the class swapped in. */
function schedulerConfig(kind: SchedulerKind): object {
  return {
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
  const tokenizer = tinyTokenizer()
  const files: Record<string, string | Uint8Array> = {
    'model_index.json': json({
      ...MODEL_INDEX,
      scheduler: ['diffusers', SCHEDULER_CLASS_NAMES[scheduler]],
    }),
    'scheduler/scheduler_config.json': json(schedulerConfig(scheduler)),
    'vae_decoder/config.json': json({
      _class_name: 'AutoencoderKL',
      latent_channels: 4,
      out_channels: 3,
      // Only the length matters to the pipeline: 4 blocks upsample 2^3 = 8x.
      block_out_channels: [8, 8, 8, 8],
      scaling_factor: 0.18215,
    }),
  }
  for (const [name, text] of Object.entries(tokenizer.files)) files[`tokenizer/${name}`] = text
  // Each network gets its own seed stream so changing one leaves the others alone.
  const textEncoder = tinyTextEncoder(
    seed * 3 + 1,
    tokenizer.vocabSize,
    options.inputIds ?? 'int32',
  )
  files['text_encoder/model.onnx'] = encode(textEncoder)
  const unet = encodeModel(
    tinyUnet(seed * 3 + 2, options.timestep ?? 'int64', options.timestepCond ?? false),
    { externalDataFile: 'model.onnx_data' },
  )
  files['unet/model.onnx'] = unet.model
  if (unet.externalData) files['unet/model.onnx_data'] = unet.externalData
  files['vae_decoder/model.onnx'] = encode(tinyVaeDecoder(seed * 3 + 3))

  for (const sub of ['tokenizer', 'text_encoder', 'unet', 'vae_decoder', 'scheduler']) {
    await mkdir(join(dir, sub), { recursive: true })
  }
  await Promise.all(Object.entries(files).map(([name, data]) => writeFile(join(dir, name), data)))
}

function encode(graph: GraphSpec): Uint8Array {
  return encodeModel(graph).model
}

function json(value: object): string {
  return `${JSON.stringify(value, null, 2)}\n`
}
