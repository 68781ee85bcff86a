/**
 * @module
 * The contract between the denoising loop and a scheduler. A scheduler is built
 * once from `scheduler_config.json`; each generation starts its own
 * {@link SchedulerRun}, so overlapping generate() calls never share state.
 */

/** What the UNet predicts, from `prediction_type`. */
export type PredictionType = 'epsilon' | 'v_prediction' | 'sample'

/** The schedulers this package implements. */
export type SchedulerKind = 'ddim' | 'pndm' | 'euler' | 'euler-ancestral' | 'lcm'

/** A source of standard normal noise (seeded in the pipeline). */
export interface GaussianSource {
  /** Fills `out` with independent N(0, 1) samples. */
  fill(out: Float32Array): void
}

/** One denoising run: its timesteps and the step function, with its own state. */
export interface SchedulerRun {
  /** The timestep fed to the UNet at each model evaluation, in order. */
  readonly timesteps: Float64Array
  /** Noise levels of the sigma-parameterised schedulers (Euler), one more than timesteps, ending in 0. */
  readonly sigmas?: Float64Array
  /** Factor applied to the initial N(0, 1) latents. */
  readonly initNoiseSigma: number
  /**
   * Factor by which `scale_model_input` multiplies the latents before the UNet
   * sees them at model evaluation `index` (1 except for Euler's sigma scaling).
   */
  modelInputScale(index: number): number
  /**
   * Advances `sample` (in place) from timestep `index` to the next, given the
   * (guided) model output for it.
   */
  step(modelOutput: Float32Array, index: number, sample: Float32Array): void
  /**
   * Present when the step is `next = sampleFactor * sample + outputFactor * output`
   * (Euler, DDIM without clipping): a step graph can then run it on the device.
   */
  linearStep?(index: number): LinearStep
}

/** The per-step scalars of a linear scheduler step. */
export interface LinearStep {
  sampleFactor: number
  outputFactor: number
}

/** A configured scheduler. */
export interface Scheduler {
  readonly kind: SchedulerKind
  readonly predictionType: PredictionType
  /** Whether its runs have {@link SchedulerRun.linearStep} (no step noise, no history, no clipping). */
  readonly linear: boolean
  /**
   * Plans a run of `steps` inference steps over latents of `size` elements.
   * @param noise where stochastic schedulers (Euler ancestral, LCM) draw step noise
   * @throws Error when `steps` does not suit the scheduler (e.g. LCM beyond its original steps)
   */
  start(steps: number, size: number, noise: GaussianSource): SchedulerRun
}
