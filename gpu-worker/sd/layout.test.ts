import { describe, expect, it } from 'vitest'
import { detectLayout, type LayoutEvidence, layoutDefaults } from './layout.ts'

const SD15: LayoutEvidence = {
  pipelineClass: 'StableDiffusionPipeline',
  forceZerosForEmptyPrompt: undefined,
  hasTextEncoder: true,
  hasTextEncoder2: false,
  schedulerClass: 'PNDMScheduler',
  timestepSpacing: undefined,
}
const SDXL: LayoutEvidence = {
  ...SD15,
  pipelineClass: 'StableDiffusionXLPipeline',
  hasTextEncoder2: true,
  schedulerClass: 'EulerDiscreteScheduler',
  timestepSpacing: 'leading',
}
const detect = (evidence: Partial<LayoutEvidence>, base = SD15) =>
  detectLayout({ ...base, ...evidence }, 'model_index.json')

describe('detectLayout', () => {
  it('Should name the layouts from the pipeline class, the scheduler and its spacing', () => {
    expect(detect({}).name).toBe('sd')
    expect(detect({ pipelineClass: 'ORTStableDiffusionPipeline' }).name).toBe('sd')
    expect(
      detect({ timestepSpacing: 'trailing', schedulerClass: 'EulerDiscreteScheduler' }).name,
    ).toBe('sd-turbo')
    expect(detect({ pipelineClass: 'LatentConsistencyModelPipeline' }).name).toBe('sd-lcm')
    expect(detect({}, SDXL)).toEqual({
      family: 'sdxl',
      variant: 'base',
      name: 'sdxl',
      forceZerosForEmptyPrompt: true,
    })
    expect(detect({ timestepSpacing: 'trailing' }, SDXL).name).toBe('sdxl-turbo')
    // LCM-SDXL: an SDXL pipeline with the LCM scheduler.
    expect(detect({ schedulerClass: 'LCMScheduler' }, SDXL).name).toBe('sdxl-lcm')
    expect(detect({ forceZerosForEmptyPrompt: false }, SDXL).forceZerosForEmptyPrompt).toBe(false)
    expect(detect({ forceZerosForEmptyPrompt: true }).forceZerosForEmptyPrompt).toBe(false)
  })

  it('Should tell SD from SDXL by text_encoder_2 when model_index.json names no class', () => {
    expect(detect({ pipelineClass: undefined }).family).toBe('sd')
    expect(detect({ pipelineClass: undefined, hasTextEncoder2: true }).family).toBe('sdxl')
  })

  it('Should refuse other pipelines and refiners, naming them', () => {
    expect(() => detect({ pipelineClass: 'StableDiffusion3Pipeline' })).toThrow(
      /model_index.json: pipeline class "StableDiffusion3Pipeline" is not supported/,
    )
    expect(() => detect({ hasTextEncoder: false }, SDXL)).toThrow(/no text_encoder/)
  })
})

describe('layoutDefaults', () => {
  it("Should use each model family's steps and guidance", () => {
    expect(layoutDefaults(detect({}))).toEqual({ steps: 25, guidanceScale: 7.5 })
    expect(layoutDefaults(detect({}, SDXL))).toEqual({ steps: 25, guidanceScale: 5 })
    expect(layoutDefaults(detect({ schedulerClass: 'LCMScheduler' }))).toEqual({
      steps: 4,
      guidanceScale: 8.5,
    })
    // Turbo: one step, guidance off (one UNet batch).
    expect(layoutDefaults(detect({ timestepSpacing: 'trailing' }, SDXL))).toEqual({
      steps: 1,
      guidanceScale: 0,
    })
  })
})
