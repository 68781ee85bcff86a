import { describe, expect, it } from 'vitest'
import { resolveSchedulerSettings } from './config.ts'
import { createPndmScheduler } from './pndm.ts'
import { SD15_SCHEDULER_CONFIG } from './sd15.fixture.ts'
import type { GaussianSource } from './types.ts'

const noNoise: GaussianSource = { fill: () => {} }

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

/** diffusers PNDMScheduler.step_plms, transcribed on plain arrays. */
function referencePlms(steps: number) {
  const stride = 1000 / steps
  let ets: number[][] = []
  let counter = 0
  let curSample: number[] = []
  const prevSample = (x: number[], t: number, prev: number, m: number[]) => {
    const a = acp[t]!
    const ap = prev >= 0 ? acp[prev]! : acp[0]!
    const coeff = (ap / a) ** 0.5
    const denom = a * (1 - ap) ** 0.5 + (a * (1 - a) * ap) ** 0.5
    return x.map((xi, i) => coeff * xi - ((ap - a) * m[i]!) / denom)
  }
  return (output: number[], timestep: number, sample: number[]): number[] => {
    let t = timestep
    let prev = t - stride
    if (counter !== 1) {
      ets = [...ets.slice(-3), output]
    } else {
      prev = t
      t = t + stride
    }
    let m: number[]
    let x = sample
    const e = (k: number) => ets[ets.length - k]!
    if (ets.length === 1 && counter === 0) {
      m = output
      curSample = sample
    } else if (ets.length === 1 && counter === 1) {
      m = output.map((o, i) => (o + e(1)[i]!) / 2)
      x = curSample
    } else if (ets.length === 2) {
      m = e(1).map((_, i) => (3 * e(1)[i]! - e(2)[i]!) / 2)
    } else if (ets.length === 3) {
      m = e(1).map((_, i) => (23 * e(1)[i]! - 16 * e(2)[i]! + 5 * e(3)[i]!) / 12)
    } else {
      m = e(1).map((_, i) => (55 * e(1)[i]! - 59 * e(2)[i]! + 37 * e(3)[i]! - 9 * e(4)[i]!) / 24)
    }
    counter++
    return prevSample(x, t, prev, m)
  }
}

describe('PNDM scheduler (skip_prk_steps)', () => {
  it('Should repeat the second timestep: 981, 961, 961, 941, ..., 1 for 50 steps', () => {
    const run = createPndmScheduler(resolveSchedulerSettings(SD15_SCHEDULER_CONFIG, 'pndm')).start(
      50,
      2,
      noNoise,
    )
    const leading = Array.from({ length: 50 }, (_, i) => 981 - 20 * i)
    expect(Array.from(run.timesteps)).toEqual([981, 961, ...leading.slice(1)])
  })

  it('Should match the PLMS recurrence over the warm-up and the multistep updates', () => {
    const steps = 10
    const run = createPndmScheduler(resolveSchedulerSettings(SD15_SCHEDULER_CONFIG, 'pndm')).start(
      steps,
      3,
      noNoise,
    )
    const reference = referencePlms(steps)
    let expected = [1.2, -0.4, 0.3]
    const x = Float32Array.from(expected)
    for (let i = 0; i < run.timesteps.length; i++) {
      // Outputs that depend on the step and the sample, like a model's would.
      const output = Array.from(x, (v, k) => 0.8 * v + 0.1 * Math.sin(i + k))
      expected = reference(output, run.timesteps[i]!, expected)
      run.step(Float32Array.from(output), i, x)
      for (let k = 0; k < 3; k++) expect(x[k]).toBeCloseTo(expected[k]!, 4)
    }
  })
})
