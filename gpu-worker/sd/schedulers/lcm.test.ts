import { describe, expect, it } from 'vitest'
import { resolveSchedulerSettings } from './config.ts'
import { createLcmScheduler } from './lcm.ts'
import type { GaussianSource } from './types.ts'

// LCMScheduler's own defaults (scaled_linear 0.00085-0.012, original_inference_steps 50).
const settings = resolveSchedulerSettings({}, 'lcm')

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

/** c_skip and c_out of the consistency boundary condition, sigma_data 0.5, timestep_scaling 10. */
function scalings(t: number) {
  const s = t * 10
  return { cSkip: 0.25 / (s * s + 0.25), cOut: s / Math.sqrt(s * s + 0.25) }
}

describe('LCM scheduler', () => {
  it('Should pick 999, 759, 499, 259 for 4 steps of a 50-step distillation', () => {
    const run = createLcmScheduler(settings).start(4, 1, { fill: () => {} })
    expect(Array.from(run.timesteps)).toEqual([999, 759, 499, 259])
    expect(
      Array.from(createLcmScheduler(settings).start(1, 1, { fill: () => {} }).timesteps),
    ).toEqual([999])
  })

  it('Should denoise with the boundary scalings, then re-noise to the next timestep', () => {
    const noise: GaussianSource = { fill: (out) => out.fill(-0.5) }
    const run = createLcmScheduler(settings).start(4, 1, noise)
    const x = Float32Array.from([1.5])
    run.step(Float32Array.from([0.7]), 1, x)
    const [a, ap] = [acp[759]!, acp[499]!]
    const x0 = (1.5 - Math.sqrt(1 - a) * 0.7) / Math.sqrt(a)
    const { cSkip, cOut } = scalings(759)
    const denoised = cOut * x0 + cSkip * 1.5
    expect(x[0]).toBeCloseTo(Math.sqrt(ap) * denoised + Math.sqrt(1 - ap) * -0.5, 4)
  })

  it('Should return the denoised estimate itself on the last step, drawing no noise', () => {
    let draws = 0
    const run = createLcmScheduler(settings).start(4, 1, { fill: () => draws++ })
    const x = Float32Array.from([0.2])
    run.step(Float32Array.from([0.1]), 3, x)
    const a = acp[259]!
    const { cSkip, cOut } = scalings(259)
    expect(x[0]).toBeCloseTo(
      cOut * ((0.2 - Math.sqrt(1 - a) * 0.1) / Math.sqrt(a)) + cSkip * 0.2,
      5,
    )
    expect(draws).toBe(0)
  })

  it('Should refuse more steps than original_inference_steps', () => {
    expect(() => createLcmScheduler(settings).start(51, 1, { fill: () => {} })).toThrow(
      /original_inference_steps \(50\)/,
    )
  })
})
