import { describe, expect, it } from 'vitest'
import { resolveSchedulerSettings, schedulerConfigSchema } from './config.ts'
import { createScheduler } from './create-scheduler.ts'
import { alphasCumprod, betas } from './noise-schedule.ts'

describe('scheduler config', () => {
  it("Should pick the class from _class_name and fill each class's own defaults", () => {
    expect(createScheduler({ _class_name: 'PNDMScheduler' }).kind).toBe('pndm')
    expect(resolveSchedulerSettings({}, 'euler').timestepSpacing).toBe('linspace')
    expect(resolveSchedulerSettings({}, 'ddim').timestepSpacing).toBe('leading')
    expect(resolveSchedulerSettings({}, 'ddim').clipSample).toBe(true)
    expect(resolveSchedulerSettings({}, 'pndm').setAlphaToOne).toBe(false)
  })

  it('Should let the caller swap the class while the schedule comes from the file', () => {
    const scheduler = createScheduler(
      { _class_name: 'PNDMScheduler', prediction_type: 'v_prediction' },
      'euler',
    )
    expect(scheduler.kind).toBe('euler')
    expect(scheduler.predictionType).toBe('v_prediction')
  })

  it('Should note that a PNDM config without skip_prk_steps runs PLMS only', () => {
    const notes: string[] = []
    createScheduler({ _class_name: 'PNDMScheduler' }, undefined, {
      info: (_o, msg) => notes.push(msg),
    })
    expect(notes.join()).toMatch(/PLMS steps only/)
  })

  it('Should reject unknown classes and options it cannot honour', () => {
    expect(() => createScheduler({ _class_name: 'DPMSolverMultistepScheduler' })).toThrow(
      /Unsupported scheduler class "DPMSolverMultistepScheduler"/,
    )
    expect(schedulerConfigSchema.safeParse({ thresholding: true }).success).toBe(false)
    expect(schedulerConfigSchema.safeParse({ use_karras_sigmas: true }).success).toBe(false)
  })

  it('Should build linear and scaled_linear betas as diffusers does', () => {
    const base = { numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02 }
    const linear = betas({ ...base, betaSchedule: 'linear' })
    expect(linear[0]).toBeCloseTo(0.0001, 12)
    expect(linear[500]).toBeCloseTo(0.0001 + (500 * (0.02 - 0.0001)) / 999, 12)
    const scaled = betas({
      ...base,
      betaSchedule: 'scaled_linear',
      betaStart: 0.00085,
      betaEnd: 0.012,
    })
    expect(scaled[999]).toBeCloseTo(0.012, 12)
    expect(scaled[1]).toBeCloseTo(
      (Math.sqrt(0.00085) + (Math.sqrt(0.012) - Math.sqrt(0.00085)) / 999) ** 2,
      12,
    )
    const acp = alphasCumprod({ ...base, betaSchedule: 'linear' })
    expect(acp[1]).toBeCloseTo((1 - linear[0]!) * (1 - linear[1]!), 12)
  })
})
