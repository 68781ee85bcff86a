/**
 * Guidance and the scheduler step in the step graph (latents kept on the
 * device) against the JS path, on the real ONNX Runtime: forced on the CPU EP
 * (`deviceSteps: 'always'`) for Euler and DDIM, SD and SDXL, fp32 and fp16,
 * guided and not; on a pretend GPU (pretend-gpu.ts) by default, with the
 * fallback to JS steps when the provider refuses the step graph's device tensors.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DeviceStepsMode,
  type GeneratedImage,
  type GenerateOptions,
  loadSdPipeline,
  type SdPipelineOptions,
  type TinySdOptions,
  writeTinySdModelSet,
} from '../../gpu-worker/sd/index.ts'
import { deviceLog, pretendGpu } from './pretend-gpu.ts'

const SETS: Record<string, TinySdOptions> = {
  'sd fp32 euler': { scheduler: 'euler' },
  'sd fp16 ddim': { scheduler: 'ddim', precision: 'fp16' },
  'sdxl fp32 ddim': { family: 'sdxl', scheduler: 'ddim', timestep: 'float' },
  'sdxl fp16 euler': {
    family: 'sdxl',
    scheduler: 'euler',
    precision: 'fp16',
    vaePrecision: 'fp32',
    timestep: 'float',
  },
  'sd fp32 pndm': { scheduler: 'pndm' },
}
const BASE = { prompt: 'a red mug', seed: 5, steps: 4, width: 64, height: 64 }

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sd-device-steps-'))
  for (const [name, options] of Object.entries(SETS)) {
    await writeTinySdModelSet(join(root, name), { seed: 3, ...options })
  }
})
afterAll(() => rm(root, { recursive: true, force: true }))

async function generate(
  set: string,
  options: SdPipelineOptions,
  runs: GenerateOptions[],
): Promise<GeneratedImage[]> {
  const pipe = await loadSdPipeline(join(root, set), options)
  try {
    const images: GeneratedImage[] = []
    for (const run of runs) images.push(await pipe.generate(run))
    return images
  } finally {
    await pipe.release()
  }
}

const jsImage = async (set: string, run: GenerateOptions) =>
  (await generate(set, { deviceSteps: 'never' }, [run]))[0]!

/** Same image up to float32 rounding: a byte may land one level off, rarely. */
function expectSameImage(actual: GeneratedImage, expected: GeneratedImage): void {
  expect(new Set(expected.data).size).toBeGreaterThan(20)
  let maxDiff = 0
  let exact = 0
  for (let i = 0; i < expected.data.length; i++) {
    const d = Math.abs(actual.data[i]! - expected.data[i]!)
    maxDiff = Math.max(maxDiff, d)
    if (d === 0) exact++
  }
  expect(maxDiff).toBeLessThanOrEqual(1)
  expect(exact / expected.data.length).toBeGreaterThan(0.95)
}

describe('Scheduler steps in the step graph', () => {
  const linearSets = Object.keys(SETS).filter((name) => !name.endsWith('pndm'))
  it.each(linearSets)(
    'Should make the JS path image with the step graph forced on the CPU: %s',
    async (set) => {
      const runs = [BASE, { ...BASE, guidanceScale: 1, seed: 6 }]
      const graph = await generate(set, { deviceSteps: 'always' }, runs)
      for (const [i, run] of runs.entries()) {
        const js = await jsImage(set, run)
        expect(js.stepPath).toBe('js')
        expect(graph[i]!.stepPath).toBe('step-graph')
        expect(graph[i]!.unetEvaluations).toBe(js.unetEvaluations)
        expectSameImage(graph[i]!, js)
      }
    },
  )

  it('Should keep the JS path on the CPU by default and for non-linear schedulers', async () => {
    const modes: DeviceStepsMode[] = ['auto', 'always']
    for (const mode of modes) {
      const [pndm] = await generate('sd fp32 pndm', { deviceSteps: mode }, [BASE])
      expect(pndm!.stepPath).toBe('js')
    }
    const [euler] = await generate('sd fp32 euler', {}, [BASE])
    expect(euler!.stepPath).toBe('js')
  })

  it('Should keep the latents and the UNet input on a GPU between steps, and free them', async () => {
    const log = deviceLog()
    const [image] = await generate(
      'sd fp32 euler',
      { providers: ['cuda'], backend: pretendGpu(log) },
      [BASE],
    )
    expect(image!.stepPath).toBe('step-graph')
    // The first input is made on the host (plus the load-time probe's); every later one is the step graph's.
    expect(log.unetSamples).toEqual(['plain', 'plain', 'gpu-buffer', 'gpu-buffer', 'gpu-buffer'])
    expect(log.disposed).toBe(log.created)
    expect(log.disposedTwice).toBe(0)
    expectSameImage(image!, await jsImage('sd fp32 euler', BASE))
  })

  it('Should fall back to JS steps once, with a warning, when the provider refuses device tensors', async () => {
    const log = deviceLog()
    const warnings: string[] = []
    const logger = { info: () => {}, warn: (_: object, msg: string) => warnings.push(msg) }
    const backend = pretendGpu(log, (name) => name === 'model_output')
    const images = await generate('sd fp32 euler', { providers: ['cuda'], backend, logger }, [
      BASE,
      BASE,
    ])
    expect(warnings).toEqual([
      'latents cannot stay on the device: running the scheduler steps in JS',
    ])
    expect(images.map((i) => i.stepPath)).toEqual(['js', 'js'])
    expect(log.disposed).toBe(log.created)
    expect(log.disposedTwice).toBe(0)
    const js = await jsImage('sd fp32 euler', BASE)
    for (const image of images) expectSameImage(image, js)
  })
})
