/**
 * @module
 * Diffusion schedulers configured from `scheduler_config.json`: DDIM, PNDM
 * (PLMS), Euler, Euler ancestral and LCM behind one {@link Scheduler} contract.
 */
export {
  type RawSchedulerConfig,
  resolveSchedulerSettings,
  SCHEDULER_CLASSES,
  type SchedulerSettings,
  schedulerConfigSchema,
} from './config.ts'
export { createScheduler, type SchedulerNotes } from './create-scheduler.ts'
export { createDdimScheduler } from './ddim.ts'
export { createEulerScheduler, planSigmas, type SigmaPlan } from './euler.ts'
export { createEulerAncestralScheduler } from './euler-ancestral.ts'
export { createLcmScheduler, lcmTimesteps } from './lcm.ts'
export {
  alphasCumprod,
  type BetaSchedule,
  betas,
  type NoiseScheduleConfig,
  spacedTimesteps,
  type TimestepSpacing,
} from './noise-schedule.ts'
export { createPndmScheduler } from './pndm.ts'
export type {
  GaussianSource,
  LinearStep,
  PredictionType,
  Scheduler,
  SchedulerKind,
  SchedulerRun,
} from './types.ts'
