/**
 * @module
 * Euler (diffusers `EulerDiscreteScheduler`, s_churn = 0): the sample lives in
 * the sigma parameterisation `x0 + sigma * eps`, the UNet sees it divided by
 * sqrt(sigma^2 + 1), and each step is one Euler step of the probability-flow ODE.
 */
import type { SchedulerSettings } from './config.ts'
import { alphasCumprod, spacedTimesteps } from './noise-schedule.ts'
import { applyLinearStep, sigmaPrediction } from './prediction.ts'
import type { LinearStep, Scheduler, SchedulerRun } from './types.ts'

/** Timesteps and sigmas (with a final 0) of an Euler-family run, plus init_noise_sigma. */
export interface SigmaPlan {
  timesteps: Float64Array
  sigmas: Float64Array
  initNoiseSigma: number
}

/**
 * diffusers' Euler `set_timesteps`: spaced (fractional) timesteps, sigmas
 * interpolated linearly between the training sigmas, then 0.
 */
export function planSigmas(settings: SchedulerSettings, steps: number): SigmaPlan {
  const acp = alphasCumprod(settings)
  const trainSigmas = acp.map((a) => Math.sqrt((1 - a) / a))
  const timesteps = spacedTimesteps(
    settings.timestepSpacing,
    settings.numTrainTimesteps,
    steps,
    settings.stepsOffset,
    false,
  )
  const sigmas = new Float64Array(steps + 1)
  for (let i = 0; i < steps; i++) sigmas[i] = interpolate(trainSigmas, timesteps[i]!)
  const maxSigma = Math.max(...sigmas)
  // diffusers: the largest sigma for linspace/trailing, sqrt(max^2 + 1) for leading.
  const initNoiseSigma =
    settings.timestepSpacing === 'leading' ? Math.sqrt(maxSigma * maxSigma + 1) : maxSigma
  return { timesteps, sigmas, initNoiseSigma }
}

/** numpy.interp(t, arange(n), values) for t inside [0, n - 1] (clamped outside). */
function interpolate(values: Float64Array, t: number): number {
  const last = values.length - 1
  if (t <= 0) return values[0]!
  if (t >= last) return values[last]!
  const i = Math.floor(t)
  const frac = t - i
  return values[i]! + frac * (values[i + 1]! - values[i]!)
}

/**
 * Builds an Euler scheduler.
 * @example
 * const run = createEulerScheduler(settings).start(30, latents.length, noise)
 */
export function createEulerScheduler(settings: SchedulerSettings): Scheduler {
  const { predictionType } = settings
  return {
    kind: 'euler',
    predictionType,
    linear: true,
    start(steps): SchedulerRun {
      const { timesteps, sigmas, initNoiseSigma } = planSigmas(settings, steps)
      const linearStep = (index: number): LinearStep => {
        const sigma = sigmas[index]!
        const dt = sigmas[index + 1]! - sigma
        const c = sigmaPrediction(predictionType, sigma)
        // x + (x - x0) / sigma * dt with x0 = cs * x + co * m, folded per step.
        return {
          sampleFactor: 1 + ((1 - c.x0Sample) * dt) / sigma,
          outputFactor: (-c.x0Output * dt) / sigma,
        }
      }
      return {
        timesteps,
        sigmas,
        initNoiseSigma,
        modelInputScale: (index) => 1 / Math.sqrt(sigmas[index]! ** 2 + 1),
        linearStep,
        step(output, index, sample) {
          applyLinearStep(linearStep(index), output, sample)
        },
      }
    },
  }
}
