/**
 * @module
 * DDIM (diffusers `DDIMScheduler`) with eta = 0: deterministic steps from
 * timestep t to t - T/steps through the predicted clean sample.
 */
import type { SchedulerSettings } from './config.ts'
import { alphasCumprod, spacedTimesteps } from './noise-schedule.ts'
import { applyLinearStep, ddpmPrediction } from './prediction.ts'
import type { LinearStep, Scheduler, SchedulerRun } from './types.ts'

/**
 * Builds a DDIM scheduler.
 * @example
 * const run = createDdimScheduler(settings).start(50, latents.length, noise)
 */
export function createDdimScheduler(settings: SchedulerSettings): Scheduler {
  const acp = alphasCumprod(settings)
  // The alpha after the last step: 1 (a clean image) or, for SD, alphas_cumprod[0].
  const finalAlphaProd = settings.setAlphaToOne ? 1 : acp[0]!
  const { predictionType, clipSample, clipSampleRange: range } = settings
  return {
    kind: 'ddim',
    predictionType,
    linear: !clipSample,
    start(steps): SchedulerRun {
      const timesteps = spacedTimesteps(
        settings.timestepSpacing,
        settings.numTrainTimesteps,
        steps,
        settings.stepsOffset,
        true,
      )
      const stride = Math.floor(settings.numTrainTimesteps / steps)
      /** The step's coefficients: x0 and eps as linear maps, and the weights of both in prev. */
      const coefficients = (index: number) => {
        const t = timesteps[index]!
        const prev = t - stride
        const alphaProdPrev = prev >= 0 ? acp[prev]! : finalAlphaProd
        return {
          c: ddpmPrediction(predictionType, acp[t]!),
          a: Math.sqrt(alphaProdPrev),
          b: Math.sqrt(1 - alphaProdPrev),
        }
      }
      // prev = a * x0 + b * eps, both linear in (sample, output): fold into one pair.
      const linearStep = (index: number): LinearStep => {
        const { c, a, b } = coefficients(index)
        return {
          sampleFactor: a * c.x0Sample + b * c.epsSample,
          outputFactor: a * c.x0Output + b * c.epsOutput,
        }
      }
      return {
        timesteps,
        initNoiseSigma: 1,
        modelInputScale: () => 1,
        ...(clipSample ? {} : { linearStep }),
        step(output, index, sample) {
          if (!clipSample) {
            applyLinearStep(linearStep(index), output, sample)
            return
          }
          const { c, a, b } = coefficients(index)
          for (let i = 0; i < sample.length; i++) {
            const x = sample[i]!
            const m = output[i]!
            const x0 = Math.min(range, Math.max(-range, c.x0Sample * x + c.x0Output * m))
            sample[i] = a * x0 + b * (c.epsSample * x + c.epsOutput * m)
          }
        },
      }
    },
  }
}
