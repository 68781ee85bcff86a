/**
 * @module
 * `scheduler_config.json` as diffusers reads it: the class name picks the
 * scheduler, fields absent from the file take that class's own defaults (they
 * differ: Euler defaults to `linspace` spacing, DDIM to `leading`), and values
 * this package cannot honour fail when the pipeline loads, not mid-generation.
 */
import { z } from 'zod'
import type { BetaSchedule, NoiseScheduleConfig, TimestepSpacing } from './noise-schedule.ts'
import type { PredictionType, SchedulerKind } from './types.ts'

/** The fields of `scheduler_config.json` this package reads (others are ignored). */
export const schedulerConfigSchema = z
  .object({
    _class_name: z.string().optional(),
    num_train_timesteps: z.number().int().positive().optional(),
    beta_start: z.number().positive().optional(),
    beta_end: z.number().positive().optional(),
    beta_schedule: z.enum(['linear', 'scaled_linear', 'squaredcos_cap_v2']).optional(),
    trained_betas: z.array(z.number()).nullable().optional(),
    prediction_type: z.enum(['epsilon', 'v_prediction', 'sample']).optional(),
    timestep_spacing: z.enum(['leading', 'trailing', 'linspace']).optional(),
    steps_offset: z.number().int().nonnegative().optional(),
    set_alpha_to_one: z.boolean().optional(),
    clip_sample: z.boolean().optional(),
    clip_sample_range: z.number().positive().optional(),
    skip_prk_steps: z.boolean().optional(),
    original_inference_steps: z.number().int().positive().optional(),
    timestep_scaling: z.number().positive().optional(),
    // Options that change results and are not implemented: accepted only when off.
    thresholding: z.literal(false).optional(),
    rescale_betas_zero_snr: z.literal(false).optional(),
    use_karras_sigmas: z.literal(false).nullable().optional(),
    use_exponential_sigmas: z.literal(false).nullable().optional(),
    use_beta_sigmas: z.literal(false).nullable().optional(),
    interpolation_type: z.literal('linear').optional(),
    final_sigmas_type: z.literal('zero').optional(),
  })
  .loose()

/** The raw (validated) content of `scheduler_config.json`. */
export type RawSchedulerConfig = z.infer<typeof schedulerConfigSchema>

/** A scheduler config with every field resolved. */
export interface SchedulerSettings extends NoiseScheduleConfig {
  predictionType: PredictionType
  timestepSpacing: TimestepSpacing
  stepsOffset: number
  setAlphaToOne: boolean
  clipSample: boolean
  clipSampleRange: number
  skipPrkSteps: boolean
  originalInferenceSteps: number
  timestepScaling: number
}

/** diffusers class names and the scheduler each maps to. */
export const SCHEDULER_CLASSES: Readonly<Record<string, SchedulerKind>> = {
  DDIMScheduler: 'ddim',
  PNDMScheduler: 'pndm',
  EulerDiscreteScheduler: 'euler',
  EulerAncestralDiscreteScheduler: 'euler-ancestral',
  LCMScheduler: 'lcm',
}

const COMMON_DEFAULTS: SchedulerSettings = {
  numTrainTimesteps: 1000,
  betaStart: 0.0001,
  betaEnd: 0.02,
  betaSchedule: 'linear',
  predictionType: 'epsilon',
  timestepSpacing: 'leading',
  stepsOffset: 0,
  setAlphaToOne: true,
  clipSample: false,
  clipSampleRange: 1,
  skipPrkSteps: false,
  originalInferenceSteps: 50,
  timestepScaling: 10,
}

/** Each class's `__init__` defaults where they differ from {@link COMMON_DEFAULTS}. */
const CLASS_DEFAULTS: Record<SchedulerKind, Partial<SchedulerSettings>> = {
  ddim: { clipSample: true },
  pndm: { setAlphaToOne: false },
  euler: { timestepSpacing: 'linspace' },
  'euler-ancestral': { timestepSpacing: 'linspace' },
  lcm: { betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear' },
}

/**
 * Resolves a config for scheduler `kind`: the file's values over the class's defaults.
 * @example
 * resolveSchedulerSettings({ beta_schedule: 'scaled_linear' }, 'ddim').timestepSpacing // 'leading'
 */
export function resolveSchedulerSettings(
  raw: RawSchedulerConfig,
  kind: SchedulerKind,
): SchedulerSettings {
  const d = { ...COMMON_DEFAULTS, ...CLASS_DEFAULTS[kind] }
  return {
    numTrainTimesteps: raw.num_train_timesteps ?? d.numTrainTimesteps,
    betaStart: raw.beta_start ?? d.betaStart,
    betaEnd: raw.beta_end ?? d.betaEnd,
    betaSchedule: (raw.beta_schedule ?? d.betaSchedule) as BetaSchedule,
    trainedBetas: raw.trained_betas ?? undefined,
    predictionType: raw.prediction_type ?? d.predictionType,
    timestepSpacing: raw.timestep_spacing ?? d.timestepSpacing,
    stepsOffset: raw.steps_offset ?? d.stepsOffset,
    setAlphaToOne: raw.set_alpha_to_one ?? d.setAlphaToOne,
    clipSample: raw.clip_sample ?? d.clipSample,
    clipSampleRange: raw.clip_sample_range ?? d.clipSampleRange,
    skipPrkSteps: raw.skip_prk_steps ?? d.skipPrkSteps,
    originalInferenceSteps: raw.original_inference_steps ?? d.originalInferenceSteps,
    timestepScaling: raw.timestep_scaling ?? d.timestepScaling,
  }
}
