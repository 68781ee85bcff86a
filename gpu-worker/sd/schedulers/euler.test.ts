import { describe, expect, it } from 'vitest'
import { type RawSchedulerConfig, resolveSchedulerSettings } from './config.ts'
import { createEulerScheduler } from './euler.ts'
import { createEulerAncestralScheduler } from './euler-ancestral.ts'
import { SD15_SCHEDULER_CONFIG } from './sd15.fixture.ts'
import type { GaussianSource } from './types.ts'

function referenceSigmas(): number[] {
  const out: number[] = []
  let product = 1
  for (let i = 0; i < 1000; i++) {
    const sqrtBeta = Math.sqrt(0.00085) + (i * (Math.sqrt(0.012) - Math.sqrt(0.00085))) / 999
    product *= 1 - sqrtBeta ** 2
    out.push(Math.sqrt((1 - product) / product))
  }
  return out
}
const trainSigmas = referenceSigmas()
/** numpy.interp over the integer timesteps. */
const sigmaAt = (t: number) => {
  const i = Math.floor(t)
  return i >= 999
    ? trainSigmas[999]!
    : trainSigmas[i]! + (t - i) * (trainSigmas[i + 1]! - trainSigmas[i]!)
}
const noNoise: GaussianSource = { fill: () => {} }

describe('Euler scheduler', () => {
  const euler = (config: RawSchedulerConfig = {}) =>
    createEulerScheduler(resolveSchedulerSettings({ ...SD15_SCHEDULER_CONFIG, ...config }, 'euler'))

  it("Should use Euler's own default spacing (linspace) with fractional timesteps", () => {
    const run = euler().start(4, 1, noNoise)
    expect(Array.from(run.timesteps)).toEqual([999, 666, 333, 0])
    const seven = euler().start(7, 1, noNoise)
    expect(seven.timesteps[1]).toBeCloseTo(832.5, 10)
  })

  it('Should interpolate sigmas, end them with 0 and start from the largest', () => {
    const run = euler().start(7, 1, noNoise)
    const expected = [...Array.from(run.timesteps, sigmaAt), 0]
    expect(run.sigmas).toHaveLength(8)
    for (const [i, s] of run.sigmas!.entries()) expect(s).toBeCloseTo(expected[i]!, 6)
    expect(run.initNoiseSigma).toBeCloseTo(trainSigmas[999]!, 6)
    expect(run.modelInputScale(0)).toBeCloseTo(1 / Math.sqrt(trainSigmas[999]! ** 2 + 1), 8)
  })

  it('Should space Turbo runs (trailing) from 999 with the largest sigma as init noise', () => {
    // diffusers: arange(1000, 0, -1000 / steps).round() - 1; sigmas interpolated, then 0.
    const one = euler({ timestep_spacing: 'trailing' }).start(1, 1, noNoise)
    expect(Array.from(one.timesteps)).toEqual([999])
    expect(one.sigmas![0]).toBeCloseTo(trainSigmas[999]!, 6)
    expect(one.sigmas![1]).toBe(0)
    expect(one.initNoiseSigma).toBeCloseTo(trainSigmas[999]!, 6)
    expect(
      Array.from(euler({ timestep_spacing: 'trailing' }).start(4, 1, noNoise).timesteps),
    ).toEqual([999, 749, 499, 249])
    // 1000 / 3: 666.67 rounds to 667, 333.33 to 333.
    const three = euler({ timestep_spacing: 'trailing' }).start(3, 1, noNoise)
    expect(Array.from(three.timesteps)).toEqual([999, 666, 332])
    for (const [i, t] of [999, 666, 332].entries()) {
      expect(three.sigmas![i]).toBeCloseTo(trainSigmas[t]!, 6)
    }
  })

  it('Should use sqrt(sigma_max^2 + 1) as init noise with leading spacing', () => {
    const run = euler({ timestep_spacing: 'leading' }).start(50, 1, noNoise)
    expect(run.timesteps[0]).toBe(981)
    expect(run.initNoiseSigma).toBeCloseTo(Math.sqrt(sigmaAt(981) ** 2 + 1), 6)
  })

  it('Should take an Euler step x + eps * (sigma_next - sigma)', () => {
    const run = euler().start(10, 2, noNoise)
    const x = Float32Array.from([5, -3])
    run.step(Float32Array.from([0.4, -0.9]), 2, x)
    const dt = run.sigmas![3]! - run.sigmas![2]!
    expect(x[0]).toBeCloseTo(5 + 0.4 * dt, 4)
    expect(x[1]).toBeCloseTo(-3 - 0.9 * dt, 4)
  })

  it('Should turn a v-prediction into x0 = v * -sigma / sqrt(sigma^2 + 1) + x / (sigma^2 + 1)', () => {
    const run = euler({ prediction_type: 'v_prediction' }).start(10, 1, noNoise)
    const x = Float32Array.from([2])
    run.step(Float32Array.from([0.5]), 4, x)
    const [s, next] = [run.sigmas![4]!, run.sigmas![5]!]
    const x0 = (0.5 * -s) / Math.sqrt(s * s + 1) + 2 / (s * s + 1)
    expect(x[0]).toBeCloseTo(2 + ((2 - x0) / s) * (next - s), 4)
  })
})

describe('Euler ancestral scheduler', () => {
  it('Should step to sigma_down and add sigma_up of fresh noise', () => {
    const noise: GaussianSource = { fill: (out) => out.fill(0.25) }
    const settings = resolveSchedulerSettings(SD15_SCHEDULER_CONFIG, 'euler-ancestral')
    const run = createEulerAncestralScheduler(settings).start(10, 1, noise)
    expect(Array.from(run.timesteps)).toEqual(
      Array.from(createEulerScheduler(settings).start(10, 1, noise).timesteps),
    )
    const x = Float32Array.from([3])
    run.step(Float32Array.from([0.6]), 3, x)
    const [from, to] = [run.sigmas![3]!, run.sigmas![4]!]
    const up = Math.sqrt((to ** 2 * (from ** 2 - to ** 2)) / from ** 2)
    const down = Math.sqrt(to ** 2 - up ** 2)
    expect(x[0]).toBeCloseTo(3 + 0.6 * (down - from) + 0.25 * up, 4)
  })
})
