/**
 * @module
 * The ONNX export layout optimum writes and diffusers reads:
 *
 * ```
 * model_index.json
 * tokenizer/{vocab.json, merges.txt, tokenizer_config.json?, special_tokens_map.json?}
 * text_encoder/model.onnx
 * unet/model.onnx (+ external weights beside it)
 * vae_decoder/model.onnx, vae_decoder/config.json?
 * scheduler/scheduler_config.json
 * ```
 *
 * This module finds those files and reads the small JSON ones; sessions are
 * opened elsewhere, by path.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { readJsonFile, readOptionalJsonFile, requireFile } from './files.ts'
import { type RawSchedulerConfig, schedulerConfigSchema } from './schedulers/index.ts'

/** Where the parts of a model set are, and what its configs say. */
export interface SdModelFiles {
  dir: string
  tokenizerDir: string
  textEncoderPath: string
  unetPath: string
  vaeDecoderPath: string
  scheduler: RawSchedulerConfig
  /** Latents are divided by this before decoding (`scaling_factor`, 0.18215 for SD 1.x/2.x). */
  vaeScalingFactor: number
  /** Image pixels per latent pixel along each axis (8 for SD). */
  vaeScaleFactor: number
}

/** SD 1.x / 2.x VAE `scaling_factor`, used when the export has no vae_decoder/config.json. */
export const DEFAULT_VAE_SCALING_FACTOR = 0.18215

const modelIndexSchema = z.object({}).loose()
const vaeConfigSchema = z
  .object({
    scaling_factor: z.number().positive().optional(),
    block_out_channels: z.array(z.number()).min(1).optional(),
  })
  .loose()

/**
 * Locates the files of the model set in `dir` and reads its configs.
 * @throws SdModelError naming the first missing or malformed file
 * @example
 * const files = await readSdModelFiles('/models/sd15-onnx')
 */
export async function readSdModelFiles(dir: string): Promise<SdModelFiles> {
  await readJsonFile(join(dir, 'model_index.json'), 'pipeline index', modelIndexSchema)
  const tokenizerDir = join(dir, 'tokenizer')
  requireFile(join(tokenizerDir, 'vocab.json'), 'tokenizer vocab')
  requireFile(join(tokenizerDir, 'merges.txt'), 'tokenizer merges')
  const vae = await readOptionalJsonFile(
    join(dir, 'vae_decoder', 'config.json'),
    'VAE decoder config',
    vaeConfigSchema,
  )
  return {
    dir,
    tokenizerDir,
    textEncoderPath: requireFile(join(dir, 'text_encoder', 'model.onnx'), 'text encoder model'),
    unetPath: requireFile(join(dir, 'unet', 'model.onnx'), 'UNet model'),
    vaeDecoderPath: requireFile(join(dir, 'vae_decoder', 'model.onnx'), 'VAE decoder model'),
    scheduler: await readJsonFile(
      join(dir, 'scheduler', 'scheduler_config.json'),
      'scheduler config',
      schedulerConfigSchema,
    ),
    vaeScalingFactor: vae?.scaling_factor ?? DEFAULT_VAE_SCALING_FACTOR,
    // Each VAE block but the last upsamples by 2.
    vaeScaleFactor: 2 ** ((vae?.block_out_channels?.length ?? 4) - 1),
  }
}
