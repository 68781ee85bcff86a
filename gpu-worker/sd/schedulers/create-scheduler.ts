/**
 * @module
 * Picks and configures the scheduler a `scheduler_config.json` names, the way
 * `SchedulerClass.from_config(config)` does in diffusers; a caller may swap the
 * class (as `DDIMScheduler.from_config(pipe.scheduler.config)` would) while the
 * training schedule (betas, offsets, prediction type) still comes from the file.
 */
import { type RawSchedulerConfig, resolveSchedulerSettings, SCHEDULER_CLASSES } from './config.ts'
import { createDdimScheduler } from './ddim.ts'
import { createEulerScheduler } from './euler.ts'
import { createEulerAncestralScheduler } from './euler-ancestral.ts'
import { createLcmScheduler } from './lcm.ts'
import { createPndmScheduler } from './pndm.ts'
import type { Scheduler, SchedulerKind } from './types.ts'

/** Receives notes about how a config was interpreted (pino-compatible). */
export interface SchedulerNotes {
  info(obj: object, msg: string): void
}

const FACTORIES = {
  ddim: createDdimScheduler,
  pndm: createPndmScheduler,
  euler: createEulerScheduler,
  'euler-ancestral': createEulerAncestralScheduler,
  lcm: createLcmScheduler,
} satisfies Record<SchedulerKind, unknown>

/**
 * Builds the scheduler for a config.
 * @param kind use this scheduler instead of the config's `_class_name`
 * @throws Error when the class is unknown and no `kind` is given
 * @example
 * createScheduler({ _class_name: 'PNDMScheduler', beta_schedule: 'scaled_linear' }).kind // 'pndm'
 */
export function createScheduler(
  raw: RawSchedulerConfig,
  kind?: SchedulerKind,
  notes?: SchedulerNotes,
): Scheduler {
  const className = raw._class_name ?? ''
  const chosen = kind ?? SCHEDULER_CLASSES[className]
  if (!chosen) {
    throw new Error(
      `Unsupported scheduler class ${JSON.stringify(className)}: expected one of ${Object.keys(SCHEDULER_CLASSES).join(', ')}`,
    )
  }
  const settings = resolveSchedulerSettings(raw, chosen)
  if (chosen === 'pndm' && !settings.skipPrkSteps) {
    notes?.info(
      { scheduler: 'pndm' },
      'PNDM config without skip_prk_steps: running PLMS steps only (no Runge-Kutta warm-up)',
    )
  }
  return FACTORIES[chosen](settings)
}
