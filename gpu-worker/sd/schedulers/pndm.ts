/**
 * @module
 * PNDM as Stable Diffusion 1.x ships it (diffusers `PNDMScheduler` with
 * `skip_prk_steps`): linear multistep (PLMS) updates that combine the last up to
 * four model outputs. The first step is taken twice (a Heun-like warm-up), so a
 * run of N steps evaluates the UNet N + 1 times.
 */
import type { SchedulerSettings } from './config.ts'
import { alphasCumprod, spacedTimesteps } from './noise-schedule.ts'
import type { Scheduler, SchedulerRun } from './types.ts'

/**
 * Builds a PNDM scheduler. Configs without `skip_prk_steps` still run PLMS only:
 * the Runge-Kutta warm-up is not implemented (the caller logs that).
 */
export function createPndmScheduler(settings: SchedulerSettings): Scheduler {
  const acp = alphasCumprod(settings)
  const finalAlphaProd = settings.setAlphaToOne ? 1 : acp[0]!
  const { predictionType } = settings
  return {
    kind: 'pndm',
    // Combines the last four predictions: stays on the JS path.
    linear: false,
    predictionType,
    start(steps, size): SchedulerRun {
      const timesteps = plmsTimesteps(settings, steps)
      const stride = Math.floor(settings.numTrainTimesteps / steps)
      // Ring of the last four model outputs, newest at (count - 1) % 4.
      const ets = Array.from({ length: 4 }, () => new Float32Array(size))
      const firstSample = new Float32Array(size)
      let count = 0
      let counter = 0
      return {
        timesteps,
        initNoiseSigma: 1,
        modelInputScale: () => 1,
        step(output, index, sample) {
          const t = timesteps[index]!
          if (counter === 1) {
            // Second half of the warm-up: redo step 0 from its start with the averaged output.
            const { fs, fo } = coefficients(t + stride, t)
            const last = ets[(count - 1) % 4]!
            for (let i = 0; i < size; i++) {
              sample[i] = fs * firstSample[i]! + fo * ((output[i]! + last[i]!) / 2)
            }
            counter++
            return
          }
          ets[count % 4]!.set(output)
          count++
          if (counter === 0) firstSample.set(sample)
          counter++
          // Adams-Bashforth weights over the last min(count, 4) outputs, newest first.
          const w = count === 1 ? AB1 : count === 2 ? AB2 : count === 3 ? AB3 : AB4
          const e0 = ets[(count - 1) % 4]!
          const e1 = ets[(count + 2) % 4]!
          const e2 = ets[(count + 1) % 4]!
          const e3 = ets[count % 4]!
          const [w0, w1, w2, w3] = w
          const { fs, fo } = coefficients(t, t - stride)
          // One pass: combine the outputs and take the step (entries with weight 0 are unused slots).
          for (let i = 0; i < size; i++) {
            const m = w0 * e0[i]! + w1 * e1[i]! + w2 * e2[i]! + w3 * e3[i]!
            sample[i] = fs * sample[i]! + fo * m
          }
        },
      }
    },
  }

  /**
   * diffusers `_get_prev_sample` (formula (9) of the PNDM paper) as
   * `prev = fs * sample + fo * output`, v-prediction folded in.
   */
  function coefficients(t: number, prev: number): { fs: number; fo: number } {
    const alphaProd = acp[t]!
    const alphaProdPrev = prev >= 0 ? acp[prev]! : finalAlphaProd
    const betaProd = 1 - alphaProd
    const sampleCoeff = Math.sqrt(alphaProdPrev / alphaProd)
    const denom =
      alphaProd * Math.sqrt(1 - alphaProdPrev) + Math.sqrt(alphaProd * betaProd * alphaProdPrev)
    const outputCoeff = (alphaProdPrev - alphaProd) / denom
    // v-prediction is turned into epsilon first: eps = sqrt(acp) * v + sqrt(1 - acp) * x.
    const v = predictionType === 'v_prediction'
    return {
      fs: sampleCoeff - outputCoeff * (v ? Math.sqrt(betaProd) : 0),
      fo: -outputCoeff * (v ? Math.sqrt(alphaProd) : 1),
    }
  }
}

const AB1 = [1, 0, 0, 0] as const
const AB2 = [3 / 2, -1 / 2, 0, 0] as const
const AB3 = [23 / 12, -16 / 12, 5 / 12, 0] as const
const AB4 = [55 / 24, -59 / 24, 37 / 24, -9 / 24] as const

/**
 * `set_timesteps` with skip_prk_steps: the spaced timesteps, highest first, with
 * the second-highest repeated (the warm-up's second evaluation).
 */
function plmsTimesteps(settings: SchedulerSettings, steps: number): Float64Array {
  const spaced = spacedTimesteps(
    settings.timestepSpacing,
    settings.numTrainTimesteps,
    steps,
    settings.stepsOffset,
    true,
  )
  if (steps < 2) return spaced
  const out = new Float64Array(steps + 1)
  out[0] = spaced[0]!
  out.set(spaced.subarray(1), 2)
  out[1] = spaced[1]!
  return out
}
