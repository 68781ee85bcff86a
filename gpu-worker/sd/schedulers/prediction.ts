/**
 * @module
 * What the model output means, as linear maps. Every scheduler here needs the
 * predicted clean sample x0 (and some the predicted noise) as
 * `a * sample + b * modelOutput`; computing a and b once per step keeps the
 * per-element loops to a multiply-add.
 */
import type { LinearStep, PredictionType } from './types.ts'

/** `x0 = x0Sample * sample + x0Output * output`; `eps = epsSample * sample + epsOutput * output`. */
export interface PredictionCoefficients {
  x0Sample: number
  x0Output: number
  epsSample: number
  epsOutput: number
}

/**
 * Coefficients in the DDPM parameterisation (DDIM, PNDM, LCM), where the noisy
 * sample is `sqrt(acp) * x0 + sqrt(1 - acp) * eps`.
 * @param alphaProd alphas_cumprod at the current timestep
 */
export function ddpmPrediction(type: PredictionType, alphaProd: number): PredictionCoefficients {
  const a = Math.sqrt(alphaProd)
  const b = Math.sqrt(1 - alphaProd)
  switch (type) {
    case 'epsilon':
      return { x0Sample: 1 / a, x0Output: -b / a, epsSample: 0, epsOutput: 1 }
    case 'v_prediction':
      return { x0Sample: a, x0Output: -b, epsSample: b, epsOutput: a }
    case 'sample':
      return { x0Sample: 0, x0Output: 1, epsSample: 1 / b, epsOutput: -a / b }
  }
}

/**
 * x0 coefficients in the sigma parameterisation (Euler), where the sample is
 * `x0 + sigma * eps`. (The eps coefficients are not used there and left 0.)
 */
export function sigmaPrediction(type: PredictionType, sigma: number): PredictionCoefficients {
  switch (type) {
    case 'epsilon':
      return { x0Sample: 1, x0Output: -sigma, epsSample: 0, epsOutput: 0 }
    case 'v_prediction':
      return {
        x0Sample: 1 / (sigma * sigma + 1),
        x0Output: -sigma / Math.sqrt(sigma * sigma + 1),
        epsSample: 0,
        epsOutput: 0,
      }
    case 'sample':
      return { x0Sample: 0, x0Output: 1, epsSample: 0, epsOutput: 0 }
  }
}

/** `sample = sampleFactor * sample + outputFactor * output`, in place. */
export function applyLinearStep(
  step: LinearStep,
  output: Float32Array,
  sample: Float32Array,
): void {
  const { sampleFactor: fs, outputFactor: fo } = step
  for (let i = 0; i < sample.length; i++) sample[i] = fs * sample[i]! + fo * output[i]!
}
