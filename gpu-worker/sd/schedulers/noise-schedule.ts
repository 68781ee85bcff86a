/**
 * @module
 * The pieces every diffusers scheduler shares: betas from the config, the
 * cumulative alpha products, and the `timestep_spacing` rules. Computed in
 * float64 (diffusers uses float32 tensors; results agree to about 1e-6).
 */

/** `beta_schedule` values supported. */
export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2'

/** `timestep_spacing` values supported. */
export type TimestepSpacing = 'leading' | 'trailing' | 'linspace'

/** The config fields that define the training noise schedule. */
export interface NoiseScheduleConfig {
  numTrainTimesteps: number
  betaStart: number
  betaEnd: number
  betaSchedule: BetaSchedule
  trainedBetas?: readonly number[] | undefined
}

/** numpy.linspace(start, stop, n) */
export function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n)
  const step = n > 1 ? (stop - start) / (n - 1) : 0
  for (let i = 0; i < n; i++) out[i] = start + i * step
  if (n > 1) out[n - 1] = stop
  return out
}

/** numpy's round: halves go to the even neighbour (matters for spacings such as 1000/16). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** The betas of the training schedule. */
export function betas(config: NoiseScheduleConfig): Float64Array {
  const t = config.numTrainTimesteps
  if (config.trainedBetas) {
    if (config.trainedBetas.length !== t) {
      throw new Error(`trained_betas has ${config.trainedBetas.length} values, expected ${t}`)
    }
    return Float64Array.from(config.trainedBetas)
  }
  switch (config.betaSchedule) {
    case 'linear':
      return linspace(config.betaStart, config.betaEnd, t)
    case 'scaled_linear':
      // Stable Diffusion's schedule: linear in sqrt(beta).
      return linspace(Math.sqrt(config.betaStart), Math.sqrt(config.betaEnd), t).map((b) => b * b)
    case 'squaredcos_cap_v2': {
      const alphaBar = (x: number): number => Math.cos(((x + 0.008) / 1.008) * (Math.PI / 2)) ** 2
      return Float64Array.from({ length: t }, (_, i) =>
        Math.min(1 - alphaBar((i + 1) / t) / alphaBar(i / t), 0.999),
      )
    }
  }
}

/** alphas_cumprod = cumprod(1 - betas). */
export function alphasCumprod(config: NoiseScheduleConfig): Float64Array {
  const b = betas(config)
  const out = new Float64Array(b.length)
  let product = 1
  for (let i = 0; i < b.length; i++) {
    product *= 1 - b[i]!
    out[i] = product
  }
  return out
}

/**
 * Timesteps for `steps` inference steps, highest first, per `timestep_spacing`
 * (diffusers' DDIM/Euler `set_timesteps`). `linspace` values are fractional
 * unless `integer` is set, as Euler keeps them.
 */
export function spacedTimesteps(
  spacing: TimestepSpacing,
  numTrainTimesteps: number,
  steps: number,
  stepsOffset: number,
  integer: boolean,
): Float64Array {
  if (!Number.isInteger(steps) || steps < 1 || steps > numTrainTimesteps) {
    throw new Error(`steps must be an integer from 1 to ${numTrainTimesteps}, got ${steps}`)
  }
  const out = new Float64Array(steps)
  const t = numTrainTimesteps
  for (let i = 0; i < steps; i++) {
    const k = steps - 1 - i
    switch (spacing) {
      case 'linspace': {
        // As numpy.linspace computes it: k * step, with the last value exactly T - 1.
        const v = k === steps - 1 ? t - 1 : k * ((t - 1) / Math.max(steps - 1, 1))
        out[i] = integer ? roundHalfEven(v) : v
        break
      }
      case 'leading':
        out[i] = k * Math.floor(t / steps) + stepsOffset
        break
      case 'trailing':
        // numpy.arange(T, 0, -T/steps) can yield steps+1 values through float error;
        // we take exactly `steps`, which is what the spacing means.
        out[i] = roundHalfEven(t + i * -(t / steps)) - 1
        break
    }
  }
  return out
}
