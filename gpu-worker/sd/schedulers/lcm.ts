/**
 * @module
 * LCM (diffusers `LCMScheduler`) for latent consistency models: each step maps
 * the sample straight to a denoised estimate (with the consistency boundary
 * scalings), then re-noises it to the next timestep. Few steps (1-8) suffice.
 */
import type { SchedulerSettings } from './config.ts'
import { alphasCumprod } from './noise-schedule.ts'
import { ddpmPrediction } from './prediction.ts'
import type { Scheduler, SchedulerRun } from './types.ts'

// sigma_data of the consistency-model boundary condition (fixed in diffusers).
const SIGMA_DATA = 0.5

/**
 * diffusers' LCM `set_timesteps` (strength 1): `steps` timesteps picked evenly
 * from the distillation schedule of `original_inference_steps`.
 * @throws Error when `steps` exceeds `original_inference_steps`
 */
export function lcmTimesteps(settings: SchedulerSettings, steps: number): Float64Array {
  const original = settings.originalInferenceSteps
  if (steps > original) {
    throw new Error(
      `LCM: steps (${steps}) must not exceed original_inference_steps (${original}) of the scheduler config`,
    )
  }
  const k = Math.floor(settings.numTrainTimesteps / original)
  // Origin timesteps, highest first: original*k - 1, ..., k - 1.
  const origin = (j: number): number => (original - j) * k - 1
  // numpy.linspace(0, original, steps, endpoint=False), floored, as indices into the origin steps.
  return Float64Array.from({ length: steps }, (_, i) => origin(Math.floor(i * (original / steps))))
}

/**
 * Builds an LCM scheduler.
 * @example
 * const run = createLcmScheduler(settings).start(4, latents.length, noise)
 */
export function createLcmScheduler(settings: SchedulerSettings): Scheduler {
  const acp = alphasCumprod(settings)
  const finalAlphaProd = settings.setAlphaToOne ? 1 : acp[0]!
  const { predictionType, clipSample, clipSampleRange: range, timestepScaling } = settings
  return {
    kind: 'lcm',
    // Draws fresh noise every step: stays on the JS path.
    linear: false,
    predictionType,
    start(steps, size, noise): SchedulerRun {
      const timesteps = lcmTimesteps(settings, steps)
      const fresh = new Float32Array(size)
      return {
        timesteps,
        initNoiseSigma: 1,
        modelInputScale: () => 1,
        step(output, index, sample) {
          const t = timesteps[index]!
          const last = index === timesteps.length - 1
          const prev = last ? t : timesteps[index + 1]!
          const alphaProdPrev = prev >= 0 ? acp[prev]! : finalAlphaProd
          const c = ddpmPrediction(predictionType, acp[t]!)
          const scaled = t * timestepScaling
          const cSkip = SIGMA_DATA ** 2 / (scaled ** 2 + SIGMA_DATA ** 2)
          const cOut = scaled / Math.sqrt(scaled ** 2 + SIGMA_DATA ** 2)
          // The last step returns the denoised estimate itself; the others re-noise it.
          const a = last ? 1 : Math.sqrt(alphaProdPrev)
          const b = last ? 0 : Math.sqrt(1 - alphaProdPrev)
          if (!last) noise.fill(fresh)
          for (let i = 0; i < size; i++) {
            const x = sample[i]!
            let x0 = c.x0Sample * x + c.x0Output * output[i]!
            if (clipSample) x0 = Math.min(range, Math.max(-range, x0))
            sample[i] = a * (cOut * x0 + cSkip * x) + b * fresh[i]!
          }
        },
      }
    },
  }
}
