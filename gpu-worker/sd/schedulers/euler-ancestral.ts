/**
 * @module
 * Euler ancestral (diffusers `EulerAncestralDiscreteScheduler`): an Euler step
 * down to sigma_down, then fresh noise of size sigma_up, so that the marginal
 * noise level lands on the next sigma. Stochastic: the run draws step noise
 * from the pipeline's seeded source, so it stays reproducible.
 */
import type { SchedulerSettings } from './config.ts'
import { planSigmas } from './euler.ts'
import { sigmaPrediction } from './prediction.ts'
import type { Scheduler, SchedulerRun } from './types.ts'

/**
 * Builds an Euler ancestral scheduler.
 * @example
 * const run = createEulerAncestralScheduler(settings).start(30, latents.length, noise)
 */
export function createEulerAncestralScheduler(settings: SchedulerSettings): Scheduler {
  const { predictionType } = settings
  return {
    kind: 'euler-ancestral',
    // Draws fresh noise every step: stays on the JS path.
    linear: false,
    predictionType,
    start(steps, size, noise): SchedulerRun {
      const { timesteps, sigmas, initNoiseSigma } = planSigmas(settings, steps)
      const fresh = new Float32Array(size)
      return {
        timesteps,
        sigmas,
        initNoiseSigma,
        modelInputScale: (index) => 1 / Math.sqrt(sigmas[index]! ** 2 + 1),
        step(output, index, sample) {
          const sigma = sigmas[index]!
          const next = sigmas[index + 1]!
          const up = Math.sqrt((next * next * (sigma * sigma - next * next)) / (sigma * sigma))
          // sqrt(next^2 - up^2) simplifies to next^2 / sigma, which cannot go NaN through rounding.
          const down = (next * next) / sigma
          const dt = down - sigma
          const c = sigmaPrediction(predictionType, sigma)
          const fs = 1 + ((1 - c.x0Sample) * dt) / sigma
          const fo = (-c.x0Output * dt) / sigma
          noise.fill(fresh)
          for (let i = 0; i < sample.length; i++) {
            sample[i] = fs * sample[i]! + fo * output[i]! + up * fresh[i]!
          }
        },
      }
    },
  }
}
