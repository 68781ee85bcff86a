/**
 * @module
 * Which Stable Diffusion layout a model folder holds, from its files and
 * configs: `model_index.json`'s `_class_name` (or, without one, whether
 * `text_encoder_2/` exists), the scheduler class (LCM) and its
 * `timestep_spacing` (`trailing` marks the distilled one-step Turbo models).
 * Layouts this package cannot run are refused here, by name.
 */
import { SdModelError } from './files.ts'

/** The architecture: one text encoder (SD 1.x/2.x) or two plus pooled conditioning (SDXL). */
export type SdFamily = 'sd' | 'sdxl'

/** How the model was distilled, which sets its generation defaults. */
export type SdVariant = 'base' | 'lcm' | 'turbo'

/** A detected layout. */
export interface SdLayout {
  family: SdFamily
  variant: SdVariant
  /** `sd`, `sdxl`, `sd-lcm`, `sdxl-turbo`...: the metric label. */
  name: string
  /** SDXL: an empty negative prompt means zero conditioning rather than the encoded "". */
  forceZerosForEmptyPrompt: boolean
}

/** What detection reads. */
export interface LayoutEvidence {
  /** `model_index.json`'s `_class_name`, if any. */
  pipelineClass: string | undefined
  /** `model_index.json`'s `force_zeros_for_empty_prompt`, if any. */
  forceZerosForEmptyPrompt: boolean | undefined
  /** Whether `model_index.json` lists a text_encoder (the SDXL refiner has none). */
  hasTextEncoder: boolean
  /** Whether the folder has `text_encoder_2/`. */
  hasTextEncoder2: boolean
  /** The scheduler config's `_class_name`. */
  schedulerClass: string | undefined
  /** The scheduler config's `timestep_spacing`. */
  timestepSpacing: string | undefined
}

/** Pipeline classes (diffusers, its ONNX classes and optimum's ORT ones) and their family. */
export const PIPELINE_FAMILIES: Readonly<Record<string, SdFamily>> = {
  StableDiffusionPipeline: 'sd',
  OnnxStableDiffusionPipeline: 'sd',
  ORTStableDiffusionPipeline: 'sd',
  LatentConsistencyModelPipeline: 'sd',
  ORTLatentConsistencyModelPipeline: 'sd',
  StableDiffusionXLPipeline: 'sdxl',
  OnnxStableDiffusionXLPipeline: 'sdxl',
  ORTStableDiffusionXLPipeline: 'sdxl',
}

/**
 * Detects the layout.
 * @throws SdModelError naming the unsupported class or the missing piece
 * @example
 * detectLayout({ pipelineClass: 'StableDiffusionXLPipeline', hasTextEncoder: true, hasTextEncoder2: true,
 *   schedulerClass: 'EulerDiscreteScheduler', timestepSpacing: 'trailing', forceZerosForEmptyPrompt: true }).name // 'sdxl-turbo'
 */
export function detectLayout(evidence: LayoutEvidence, indexPath: string): SdLayout {
  const { pipelineClass } = evidence
  let family: SdFamily
  if (pipelineClass === undefined) family = evidence.hasTextEncoder2 ? 'sdxl' : 'sd'
  else {
    const known = PIPELINE_FAMILIES[pipelineClass]
    if (!known) {
      throw new SdModelError(
        `${indexPath}: pipeline class ${JSON.stringify(pipelineClass)} is not supported; supported: ${Object.keys(PIPELINE_FAMILIES).join(', ')}`,
      )
    }
    family = known
  }
  if (!evidence.hasTextEncoder) {
    throw new SdModelError(
      `${indexPath}: no text_encoder (an SDXL refiner?); text-to-image needs text_encoder/model.onnx`,
    )
  }
  const lcm =
    evidence.schedulerClass === 'LCMScheduler' || pipelineClass?.includes('LatentConsistency')
  const variant: SdVariant = lcm
    ? 'lcm'
    : evidence.timestepSpacing === 'trailing'
      ? 'turbo'
      : 'base'
  return {
    family,
    variant,
    name: variant === 'base' ? family : `${family}-${variant}`,
    // diffusers' SDXL default is true; SD 1.x/2.x always encode the negative prompt.
    forceZerosForEmptyPrompt: family === 'sdxl' && evidence.forceZerosForEmptyPrompt !== false,
  }
}

/** Generation defaults of a layout (diffusers' pipeline defaults and the models' cards). */
export function layoutDefaults(layout: SdLayout): { steps: number; guidanceScale: number } {
  if (layout.variant === 'turbo') return { steps: 1, guidanceScale: 0 }
  if (layout.variant === 'lcm') return { steps: 4, guidanceScale: 8.5 }
  return { steps: 25, guidanceScale: layout.family === 'sdxl' ? 5 : 7.5 }
}
