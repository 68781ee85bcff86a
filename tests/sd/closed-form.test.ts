/**
 * The pipeline against predictions made by hand: the UNet and the VAE are
 * replaced by linear models (eps = k * sample; pixels = W * latents + b, upsampled
 * x8), so the latents evolve deterministically under the scheduler and every
 * output byte can be computed in the test from the seed and diffusers' formulas.
 * The same checks run on fp16 exports (weights and ports in float16), on
 * SD-Turbo (one trailing Euler step, no guidance) and on SDXL-Turbo.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  loadSdPipeline,
  type Precision,
  SeededRandom,
  type TinySdOptions,
  writeTinySdModelSet,
} from '../../gpu-worker/sd/index.ts'
import { encodeModel, type GraphSpec, toFloat16Graph } from '../../gpu-worker/sd/onnx/index.ts'

const W = [
  [0.04, -0.03, 0.02, 0.01],
  [-0.02, 0.05, 0.01, -0.03],
  [0.01, 0.02, -0.04, 0.03],
]
const B = [0.1, -0.2, 0.05]
const SIZE = 64
const LATENT = SIZE / 8

/** eps = k * sample; timestep and text states are declared (as the export has them) but unused. */
function linearUnet(k: number, sdxl: boolean): GraphSpec {
  const added: GraphSpec['inputs'] = sdxl
    ? [
        { name: 'text_embeds', type: 'float32', shape: ['batch', 48] },
        { name: 'time_ids', type: 'float32', shape: ['batch', 6] },
      ]
    : []
  return {
    name: 'linear_unet',
    nodes: [{ op: 'Mul', inputs: ['sample', 'k'], outputs: ['out_sample'] }],
    initializers: [{ name: 'k', type: 'float32', dims: [1], data: Float32Array.of(k) }],
    inputs: [
      { name: 'sample', type: 'float32', shape: ['batch', 4, 'h', 'w'] },
      { name: 'timestep', type: 'int64', shape: ['batch'] },
      { name: 'encoder_hidden_states', type: 'float32', shape: ['batch', 77, sdxl ? 80 : 32] },
      ...added,
    ],
    outputs: [{ name: 'out_sample', type: 'float32', shape: ['batch', 4, 'h', 'w'] }],
  }
}

/** pixels = W * latents + B per latent pixel, repeated over its 8x8 block. */
function linearVae(): GraphSpec {
  return {
    name: 'linear_vae',
    nodes: [
      { op: 'Conv', inputs: ['latent_sample', 'w', 'b'], outputs: ['rgb'] },
      {
        op: 'Resize',
        inputs: ['rgb', '', 'scales'],
        outputs: ['sample'],
        attributes: {
          mode: { s: 'nearest' },
          coordinate_transformation_mode: { s: 'asymmetric' },
          nearest_mode: { s: 'floor' },
        },
      },
    ],
    initializers: [
      { name: 'w', type: 'float32', dims: [3, 4, 1, 1], data: Float32Array.from(W.flat()) },
      { name: 'b', type: 'float32', dims: [3], data: Float32Array.from(B) },
      { name: 'scales', type: 'float32', dims: [4], data: Float32Array.of(1, 1, 8, 8) },
    ],
    inputs: [{ name: 'latent_sample', type: 'float32', shape: ['batch', 4, 'h', 'w'] }],
    outputs: [{ name: 'sample', type: 'float32', shape: ['batch', 3, 'H', 'W'] }],
  }
}

/** SD 1.5 alphas_cumprod, written out independently of the package. */
function alphasCumprod(): number[] {
  const out: number[] = []
  let product = 1
  for (let i = 0; i < 1000; i++) {
    const sqrtBeta = Math.sqrt(0.00085) + (i * (Math.sqrt(0.012) - Math.sqrt(0.00085))) / 999
    product *= 1 - sqrtBeta ** 2
    out.push(product)
  }
  return out
}

/** The bytes a linear VAE makes of final latents (before the 1/scaling factor). */
function expectedImage(latents: Float64Array, scaling = 0.18215): Uint8Array {
  const rgb = new Uint8Array(SIZE * SIZE * 3)
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const at = Math.floor(y / 8) * LATENT + Math.floor(x / 8)
      for (let o = 0; o < 3; o++) {
        let p = B[o]!
        for (let c = 0; c < 4; c++) p += (W[o]![c]! * latents[c * LATENT * LATENT + at]!) / scaling
        rgb[(y * SIZE + x) * 3 + o] = Math.round(Math.min(1, Math.max(0, p / 2 + 0.5)) * 255)
      }
    }
  }
  return rgb
}

function initialNoise(seed: number): Float64Array {
  const noise = new Float32Array(4 * LATENT * LATENT)
  new SeededRandom(seed).fill(noise)
  return Float64Array.from(noise)
}

/**
 * float32 models agree with float64 up to rounding edges; float16 keeps 11
 * significant bits, about a third of a byte level on these pixels, so more land one off.
 */
const EXACT_SHARE: Record<Precision, number> = { fp32: 0.99, fp16: 0.8 }

function expectSameBytes(actual: Uint8Array, expected: Uint8Array, precision: Precision): void {
  // A saturated prediction would prove little: the expected image must have many levels.
  expect(new Set(expected).size).toBeGreaterThan(20)
  let maxDiff = 0
  let exact = 0
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!)
    maxDiff = Math.max(maxDiff, d)
    if (d === 0) exact++
  }
  // float32 in the models against float64 here: a value on a rounding edge may land one off.
  expect(maxDiff).toBeLessThanOrEqual(1)
  expect(exact / expected.length).toBeGreaterThan(EXACT_SHARE[precision])
}

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sd-closed-form-'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

async function linearModelSet(
  name: string,
  k: number,
  precision: Precision,
  options: TinySdOptions,
): Promise<string> {
  const dir = join(root, `${name}-${precision}`)
  await writeTinySdModelSet(dir, { ...options, precision })
  const write = (path: string, graph: GraphSpec) =>
    writeFile(
      join(dir, path, 'model.onnx'),
      encodeModel(precision === 'fp16' ? toFloat16Graph(graph) : graph).model,
    )
  await write('unet', linearUnet(k, options.family === 'sdxl'))
  await write('vae_decoder', linearVae())
  return dir
}

/** Euler's largest sigma (t = 999), where linspace and trailing runs start. */
function sigmaMax(): number {
  const a = alphasCumprod()[999]!
  return Math.sqrt((1 - a) / a)
}

describe.each(['fp32', 'fp16'] as const)('Pipeline with linear models (%s)', (precision) => {
  it('Should follow the DDIM recurrence exactly when eps = k * sample (guidance included)', async () => {
    const k = 0.5
    const dir = await linearModelSet('ddim', k, precision, { scheduler: 'ddim' })
    const pipe = await loadSdPipeline(dir)
    expect(pipe.labels).toEqual({ layout: 'sd', precision })
    const seed = 11
    const steps = 10
    const image = await pipe.generate({
      prompt: 'anything',
      seed,
      steps,
      guidanceScale: 7.5,
      width: SIZE,
      height: SIZE,
    })
    await pipe.release()

    // DDIM leading, steps_offset 1, set_alpha_to_one false: t = 901, 801, ..., 1.
    const acp = alphasCumprod()
    let factor = 1
    for (let i = 0; i < steps; i++) {
      const t = 901 - 100 * i
      const a = acp[t]!
      const ap = t - 100 >= 0 ? acp[t - 100]! : acp[0]!
      // x0 = (x - sqrt(1 - a) * k x) / sqrt(a); x' = sqrt(ap) * x0 + sqrt(1 - ap) * k x
      factor *= (Math.sqrt(ap) * (1 - Math.sqrt(1 - a) * k)) / Math.sqrt(a) + Math.sqrt(1 - ap) * k
    }
    const latents = initialNoise(seed).map((v) => v * factor)
    expectSameBytes(image.data, expectedImage(latents), precision)
  })

  it('Should leave the latents at sigma_max * noise under Euler when eps = 0', async () => {
    const dir = await linearModelSet('euler', 0, precision, { scheduler: 'euler' })
    const pipe = await loadSdPipeline(dir)
    const seed = 4
    const image = await pipe.generate({ prompt: 'x', seed, steps: 5, width: SIZE, height: SIZE })
    await pipe.release()
    // Euler's default linspace spacing starts at t = 999, whose sigma is the initial noise scale.
    const latents = initialNoise(seed).map((v) => v * sigmaMax())
    expectSameBytes(image.data, expectedImage(latents), precision)
  })

  it.each([
    ['sd', 0.18215],
    ['sdxl', 0.13025],
  ] as const)(
    'Should take one unguided trailing Euler step on %s-turbo',
    async (family, scaling) => {
      const k = 0.9
      const dir = await linearModelSet(`${family}-turbo`, k, precision, {
        family,
        scheduler: 'euler',
        timestepSpacing: 'trailing',
      })
      const pipe = await loadSdPipeline(dir)
      expect(pipe.labels.layout).toBe(`${family}-turbo`)
      const seed = 8
      // Turbo defaults: one step, guidance off.
      const image = await pipe.generate({ prompt: 'x', seed, width: SIZE, height: SIZE })
      await pipe.release()
      expect([image.steps, image.guidanceScale, image.unetEvaluations]).toEqual([1, 0, 1])
      // x = s n; eps = k x / sqrt(s^2 + 1); x' = x + (0 - s) eps.
      const s = sigmaMax()
      const factor = s * (1 - (s * k) / Math.sqrt(s * s + 1))
      const latents = initialNoise(seed).map((v) => v * factor)
      expectSameBytes(image.data, expectedImage(latents, scaling), precision)
    },
  )
})
