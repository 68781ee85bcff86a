import { describe, expect, it } from 'vitest'
import { type RawSchedulerConfig, resolveSchedulerSettings } from './config.ts'
import { createDdimScheduler } from './ddim.ts'
import { SD15_SCHEDULER_CONFIG } from './sd15.fixture.ts'
import type { GaussianSource } from './types.ts'

const noNoise: GaussianSource = { fill: () => {} }

/** diffusers: betas = linspace(sqrt(b0), sqrt(b1), 1000) ** 2; alphas_cumprod = cumprod(1 - betas). */
function referenceAlphasCumprod(): number[] {
  const out: number[] = []
  let product = 1
  for (let i = 0; i < 1000; i++) {
    const sqrtBeta = Math.sqrt(0.00085) + (i * (Math.sqrt(0.012) - Math.sqrt(0.00085))) / 999
    product *= 1 - sqrtBeta ** 2
    out.push(product)
  }
  return out
}
const acp = referenceAlphasCumprod()

function ddim(config: RawSchedulerConfig) {
  return createDdimScheduler(
    resolveSchedulerSettings({ ...SD15_SCHEDULER_CONFIG, ...config }, 'ddim'),
  )
}

describe('DDIM scheduler', () => {
  it('Should space 50 leading steps as 981, 961, ..., 1 with steps_offset 1', () => {
    const run = ddim({}).start(50, 4, noNoise)
    expect(Array.from(run.timesteps)).toEqual(Array.from({ length: 50 }, (_, i) => 981 - 20 * i))
    expect(run.initNoiseSigma).toBe(1)
    expect(run.modelInputScale(0)).toBe(1)
  })

  it('Should space trailing steps from 999 down, rounding halves to even like numpy', () => {
    const ten = ddim({ timestep_spacing: 'trailing' }).start(10, 4, noNoise).timesteps
    expect(Array.from(ten)).toEqual([999, 899, 799, 699, 599, 499, 399, 299, 199, 99])
    // arange(1000, 0, -62.5): 937.5 rounds to 938 and 812.5 to 812 (half to even), minus 1.
    const sixteen = ddim({ timestep_spacing: 'trailing' }).start(16, 4, noNoise).timesteps
    expect(Array.from(sixteen.slice(0, 4))).toEqual([999, 937, 874, 811])
  })

  it('Should space linspace steps over 0..999', () => {
    const ts = ddim({ timestep_spacing: 'linspace' }).start(10, 4, noNoise).timesteps
    expect(Array.from(ts)).toEqual([999, 888, 777, 666, 555, 444, 333, 222, 111, 0])
  })

  it('Should take one epsilon step as diffusers does (eta 0)', () => {
    const sample = Float32Array.from([0.5, -1.2, 2.0, 0.1])
    const output = Float32Array.from([0.3, 0.7, -0.4, 1.1])
    const run = ddim({}).start(50, 4, noNoise)
    const x = Float32Array.from(sample)
    run.step(output, 0, x)
    const [a, ap] = [acp[981]!, acp[961]!]
    sample.forEach((s, i) => {
      const e = output[i]!
      const x0 = (s - Math.sqrt(1 - a) * e) / Math.sqrt(a)
      expect(x[i]).toBeCloseTo(Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * e, 4)
    })
  })

  it('Should end on alphas_cumprod[0] when set_alpha_to_one is false', () => {
    const run = ddim({}).start(50, 1, noNoise)
    const x = Float32Array.from([0.8])
    run.step(Float32Array.from([0.2]), 49, x)
    const [a, final] = [acp[1]!, acp[0]!]
    const x0 = (0.8 - Math.sqrt(1 - a) * 0.2) / Math.sqrt(a)
    expect(x[0]).toBeCloseTo(Math.sqrt(final) * x0 + Math.sqrt(1 - final) * 0.2, 5)
  })

  it('Should read v-prediction outputs and clip x0 when clip_sample is set', () => {
    const run = ddim({ prediction_type: 'v_prediction', clip_sample: true }).start(50, 2, noNoise)
    const sample = [3.0, -0.2]
    const v = [0.1, -0.3]
    const x = Float32Array.from(sample)
    run.step(Float32Array.from(v), 10, x)
    const t = 981 - 200
    const [a, ap] = [acp[t]!, acp[t - 20]!]
    sample.forEach((s, i) => {
      const x0 = Math.min(1, Math.max(-1, Math.sqrt(a) * s - Math.sqrt(1 - a) * v[i]!))
      const eps = Math.sqrt(a) * v[i]! + Math.sqrt(1 - a) * s
      expect(x[i]).toBeCloseTo(Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps, 4)
    })
  })

  it('Should reject a step count the schedule cannot hold', () => {
    expect(() => ddim({}).start(0, 4, noNoise)).toThrow(/steps must be an integer from 1 to 1000/)
  })
})
