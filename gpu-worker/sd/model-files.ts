/**
 * @module
 * The ONNX export layout optimum writes and diffusers reads:
 *
 * ```
 * model_index.json
 * tokenizer/{vocab.json, merges.txt, tokenizer_config.json?, special_tokens_map.json?}
 * text_encoder/model.onnx
 * tokenizer_2/..., text_encoder_2/model.onnx (SDXL)
 * unet/model.onnx (+ external weights beside it)
 * vae_decoder/model.onnx, vae_decoder/config.json?
 * scheduler/scheduler_config.json
 * ```
 *
 * This module finds those files, reads the small JSON ones and detects the
 * layout; sessions are opened elsewhere, by path.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { readJsonFile, readOptionalJsonFile, requireFile } from './files.ts'
import { detectLayout, type SdLayout } from './layout.ts'
import { type RawSchedulerConfig, schedulerConfigSchema } from './schedulers/index.ts'

/** SDXL's second tokenizer and text encoder. */
export interface SecondEncoderFiles {
  tokenizerDir: string
  textEncoderPath: string
}

/** Where the parts of a model set are, and what its configs say. */
export interface SdModelFiles {
  dir: string
  layout: SdLayout
  tokenizerDir: string
  textEncoderPath: string
  /** SDXL only. */
  second: SecondEncoderFiles | null
  unetPath: string
  vaeDecoderPath: string
  scheduler: RawSchedulerConfig
  /** Latents are divided by this before decoding (`scaling_factor`: 0.18215 for SD 1.x/2.x, 0.13025 for SDXL). */
  vaeScalingFactor: number
  /** Image pixels per latent pixel along each axis (8 for SD). */
  vaeScaleFactor: number
  /** The VAE config's `force_upcast`: diffusers decodes in float32 because float16 overflows (SDXL's VAE). */
  vaeNeedsFp32: boolean
}

/** SD 1.x / 2.x VAE `scaling_factor`, used when the export has no vae_decoder/config.json. */
export const DEFAULT_VAE_SCALING_FACTOR = 0.18215
/** SDXL's VAE `scaling_factor`. */
export const SDXL_VAE_SCALING_FACTOR = 0.13025

const componentSchema = z.array(z.string().nullable()).optional()
const modelIndexSchema = z
  .object({
    _class_name: z.string().optional(),
    force_zeros_for_empty_prompt: z.boolean().optional(),
    text_encoder: componentSchema,
  })
  .loose()
const vaeConfigSchema = z
  .object({
    scaling_factor: z.number().positive().optional(),
    block_out_channels: z.array(z.number()).min(1).optional(),
    force_upcast: z.boolean().optional(),
  })
  .loose()

/**
 * Locates the files of the model set in `dir` and reads its configs.
 * @throws SdModelError naming the first missing or malformed file
 * @example
 * const files = await readSdModelFiles('/models/sd15-onnx')
 */
export async function readSdModelFiles(dir: string): Promise<SdModelFiles> {
  const indexPath = join(dir, 'model_index.json')
  const index = await readJsonFile(indexPath, 'pipeline index', modelIndexSchema)
  const scheduler = await readJsonFile(
    join(dir, 'scheduler', 'scheduler_config.json'),
    'scheduler config',
    schedulerConfigSchema,
  )
  const layout = detectLayout(
    {
      pipelineClass: index._class_name,
      forceZerosForEmptyPrompt: index.force_zeros_for_empty_prompt,
      hasTextEncoder: index.text_encoder?.[0] !== null,
      hasTextEncoder2: existsSync(join(dir, 'text_encoder_2')),
      schedulerClass: scheduler._class_name,
      timestepSpacing: scheduler.timestep_spacing,
    },
    indexPath,
  )
  const tokenizerDir = requireTokenizer(dir, 'tokenizer')
  const second =
    layout.family === 'sdxl'
      ? {
          tokenizerDir: requireTokenizer(dir, 'tokenizer_2'),
          textEncoderPath: requireFile(
            join(dir, 'text_encoder_2', 'model.onnx'),
            'second text encoder model (SDXL)',
          ),
        }
      : null
  const vae = await readOptionalJsonFile(
    join(dir, 'vae_decoder', 'config.json'),
    'VAE decoder config',
    vaeConfigSchema,
  )
  return {
    dir,
    layout,
    tokenizerDir,
    textEncoderPath: requireFile(join(dir, 'text_encoder', 'model.onnx'), 'text encoder model'),
    second,
    unetPath: requireFile(join(dir, 'unet', 'model.onnx'), 'UNet model'),
    vaeDecoderPath: requireFile(join(dir, 'vae_decoder', 'model.onnx'), 'VAE decoder model'),
    scheduler,
    vaeScalingFactor:
      vae?.scaling_factor ??
      (layout.family === 'sdxl' ? SDXL_VAE_SCALING_FACTOR : DEFAULT_VAE_SCALING_FACTOR),
    // Each VAE block but the last upsamples by 2.
    vaeScaleFactor: 2 ** ((vae?.block_out_channels?.length ?? 4) - 1),
    vaeNeedsFp32: vae?.force_upcast === true,
  }
}

function requireTokenizer(dir: string, name: string): string {
  const tokenizerDir = join(dir, name)
  requireFile(join(tokenizerDir, 'vocab.json'), `${name} vocab`)
  requireFile(join(tokenizerDir, 'merges.txt'), `${name} merges`)
  return tokenizerDir
}
