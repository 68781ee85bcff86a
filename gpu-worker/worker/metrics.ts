/**
 * @module `mockup_generation_seconds{stage,layout,precision}`: where a mock-up's
 * time goes, and on which model layout (`sd`, `sdxl-turbo`...) and precision
 * (`fp32`, `fp16`, `fp16-vae-fp32`) it ran.
 */
import { Histogram, type Registry } from 'prom-client'

/** Stages of one mock-up, as the histogram labels them. */
export const MOCKUP_STAGES = [
  'tokenize',
  'text_encoder',
  'unet',
  'vae',
  'composite',
  'encode',
] as const

/** A stage name. */
export type MockupStage = (typeof MOCKUP_STAGES)[number]

/** The model labels of the series (`pipeline.labels`). */
export interface ModelLabels {
  layout: string
  precision: string
}

/** Registers the histogram; returns the function recording one mock-up's stage times (ms). */
export function mockupStageRecorder(
  registry: Registry,
  model: ModelLabels,
): (stagesMs: Record<MockupStage, number>) => void {
  const histogram = new Histogram({
    name: 'mockup_generation_seconds',
    help: 'Time per stage of a mock-up: tokenize, text_encoder, unet, vae, composite, encode',
    labelNames: ['stage', 'layout', 'precision'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  })
  return (stagesMs) => {
    for (const stage of MOCKUP_STAGES) {
      histogram.observe({ stage, ...model }, stagesMs[stage] / 1000)
    }
  }
}
