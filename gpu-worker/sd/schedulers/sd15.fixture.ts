/**
 * @module
 * Stable Diffusion 1.5's `scheduler/scheduler_config.json`, as released, for
 * the scheduler and step-graph tests (each scheduler reads its own fields).
 */
import type { RawSchedulerConfig } from './config.ts'

/** SD 1.5's scheduler settings. */
export const SD15_SCHEDULER_CONFIG = {
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  clip_sample: false,
} as const satisfies RawSchedulerConfig
