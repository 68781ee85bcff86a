/**
 * The step graph on the real ONNX Runtime (CPU EP) against the JS path it
 * replaces: applyGuidance, the scheduler's step and the next UNet input's
 * scaling, chained over several steps of Euler and DDIM, fp32 and fp16,
 * guided and unguided, at SD (512x512) and SDXL (1024x1024) latent sizes.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { SeededRandom } from '../../../core/platform/random.ts'
import { onnxNodeBackend } from '../backend/onnx-node.ts'
import type { ModelSession, Tensor } from '../backend/types.ts'
import { applyGuidance } from '../guidance.ts'
import { scalar } from '../host-tensors.ts'
import { float16ToFloat32, float32ToFloat16 } from '../precision/float16.ts'
import type { RawSchedulerConfig } from '../schedulers/config.ts'
import { createScheduler } from '../schedulers/create-scheduler.ts'
import { SD15_SCHEDULER_CONFIG } from '../schedulers/sd15.fixture.ts'
import type { SchedulerKind } from '../schedulers/types.ts'
import { openStepGraph } from './open-step-graph.ts'
import { STEP_PORTS } from './step-graph.ts'

const STEPS = 4
const SHAPES = { sd: [4, 64, 64], sdxl: [4, 128, 128] } as const
type Half = 'float32' | 'float16'

const sessions = new Map<Half, Promise<ModelSession>>()
function session(type: Half): Promise<ModelSession> {
  let opened = sessions.get(type)
  if (!opened) {
    opened = openStepGraph(onnxNodeBackend, 'cpu', { output: type, sample: type })
    sessions.set(type, opened)
  }
  return opened
}
afterAll(async () => {
  for (const opened of sessions.values()) await (await opened).release()
})

/** What an fp16 UNet port holds: the value rounded to float16. */
function asPort(values: Float32Array, type: Half): Float32Array {
  return type === 'float16' ? float16ToFloat32(float32ToFloat16(values)) : values
}

function float32(out: Record<string, unknown>, name: string): Float32Array {
  const tensor = out[name] as Tensor
  expect(tensor.type).toBe('float32')
  return tensor.data as Float32Array
}

/**
 * Largest |a - b| over the largest |b|: float32 rounds each of the graph's
 * operations where JS rounds once, so values that nearly cancel differ in
 * their last bits relative to themselves, not to the latents' scale.
 */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual).toHaveLength(expected.length)
  let worst = 0
  let scale = 0
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!))
    scale = Math.max(scale, Math.abs(expected[i]!))
  }
  return worst / scale
}

describe('Step graph', () => {
  const cases = (['euler', 'ddim'] as const).flatMap((kind) =>
    (['float32', 'float16'] as const).flatMap((type) =>
      [true, false].flatMap((guided) =>
        (['sd', 'sdxl'] as const).map((family) => ({ kind, type, guided, family })),
      ),
    ),
  )
  it.each(cases)(
    'Should match the JS step: $kind, $type, guided $guided, $family shape',
    async ({ kind, type, guided, family }) => {
      const scheduler = createScheduler(SD15_SCHEDULER_CONFIG, kind)
      const run = scheduler.start(STEPS, 0, { fill: () => {} })
      const linearStep = run.linearStep!
      const [c, h, w] = SHAPES[family]
      const size = c * h * w
      const batch = guided ? 2 : 1
      const scale = guided ? 7.5 : 1
      const random = new SeededRandom(3)
      const latents = new Float32Array(size)
      random.fill(latents)
      for (let i = 0; i < size; i++) latents[i] = latents[i]! * run.initNoiseSigma
      let graphLatents: Float32Array = latents.slice()
      const step = await session(type)
      const guidedOutput = new Float32Array(size)
      for (let i = 0; i < STEPS; i++) {
        // The UNet's output as its port holds it, on both paths.
        const output = new Float32Array(batch * size)
        random.fill(output)
        const prediction = asPort(output, type)

        // The JS path, as the pipeline runs it.
        if (guided) applyGuidance(prediction, scale, guidedOutput)
        run.step(guided ? guidedOutput : prediction, i, latents)
        const inputScale = i + 1 < STEPS ? run.modelInputScale(i + 1) : 1
        const nextInput = new Float32Array(batch * size)
        for (let b = 0; b < batch; b++) {
          for (let k = 0; k < size; k++) nextInput[b * size + k] = latents[k]! * inputScale
        }

        const { sampleFactor, outputFactor } = linearStep(i)
        const out = await step.run({
          [STEP_PORTS.modelOutput]: { type: 'float32', data: prediction, dims: [batch, c, h, w] },
          [STEP_PORTS.latents]: { type: 'float32', data: graphLatents, dims: [1, c, h, w] },
          guidance_scale: scalar(scale),
          sample_factor: scalar(sampleFactor),
          output_factor: scalar(outputFactor),
          input_scale: scalar(inputScale),
        })
        graphLatents = float32(out, STEP_PORTS.nextLatents)
        // Latents are float32 on both paths; the next UNet input is rounded to the port's type.
        expect(relativeError(graphLatents, latents)).toBeLessThan(1e-5)
        const sample = float32(out, STEP_PORTS.nextSample)
        // float16 keeps 11 significant bits: a value may round to the neighbouring half.
        const tolerance = type === 'float16' ? 1e-3 : 1e-5
        expect(relativeError(sample, asPort(nextInput, type))).toBeLessThan(tolerance)
        expect((out[STEP_PORTS.nextSample] as Tensor).dims).toEqual([batch, c, h, w])
      }
    },
  )

  it('Should run only for the deterministic schedulers whose step is linear', () => {
    const linear = (kind: SchedulerKind, config: RawSchedulerConfig = {}) =>
      createScheduler({ ...SD15_SCHEDULER_CONFIG, ...config }, kind)
    expect(linear('euler').linear).toBe(true)
    expect(linear('ddim').linear).toBe(true)
    // Clipping x0 is not linear; step noise (LCM, Euler ancestral) and PNDM's history are not per-step scalars.
    expect(linear('ddim', { clip_sample: true }).linear).toBe(false)
    for (const kind of ['pndm', 'lcm', 'euler-ancestral'] as const) {
      const scheduler = linear(kind)
      expect(scheduler.linear).toBe(false)
      expect(scheduler.start(4, 4, { fill: () => {} }).linearStep).toBeUndefined()
    }
    expect(linear('ddim', { clip_sample: true }).start(4, 4, { fill: () => {} }).linearStep).toBe(
      undefined,
    )
  })
})
