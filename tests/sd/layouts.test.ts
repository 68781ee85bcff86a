/**
 * Export layouts on the real ONNX Runtime: which ones load and run (SD 1.5,
 * SD 2.1, LCM, SD-Turbo, SDXL, SDXL-Turbo, each in fp32 and fp16), what SDXL's
 * UNet is fed, and the errors that name what a folder lacks.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type InferenceBackend,
  loadSdPipeline,
  onnxNodeBackend,
  type Precision,
  type Tensor,
  type TinySdOptions,
  writeTinySdModelSet,
} from '../../gpu-worker/sd/index.ts'
import { encodeModel } from '../../gpu-worker/sd/onnx/index.ts'
import { tinyTextEncoder } from '../../gpu-worker/sd/tiny/index.ts'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sd-layouts-'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

/** What the UNet was given: the held conditioning and each run's sample batch and timestep. */
interface UnetLog {
  held: Record<string, Tensor>
  batches: number[]
  timesteps: number[]
}

/** The real backend, recording what reaches the UNet. */
function recordingBackend(log: UnetLog): InferenceBackend {
  return {
    name: 'recording',
    async createSession(path, provider, options) {
      const session = await onnxNodeBackend.createSession(path, provider, options)
      if (!path.endsWith(join('unet', 'model.onnx'))) return session
      return {
        ...session,
        hold(name, tensor) {
          log.held[name] = tensor
          return session.hold(name, tensor)
        },
        run(feeds, names) {
          const { sample, timestep } = feeds
          if (sample) log.batches.push(sample.dims[0]!)
          if (timestep && 'data' in timestep) log.timesteps.push(Number(timestep.data[0]))
          return session.run(feeds, names)
        },
      }
    },
  }
}

async function writeSet(name: string, options: TinySdOptions): Promise<string> {
  const dir = join(root, name)
  await writeTinySdModelSet(dir, options)
  return dir
}

/** Adds fields to a JSON file of the set. */
async function patchJson(dir: string, file: string, fields: object): Promise<void> {
  const path = join(dir, file)
  const value = JSON.parse(await readFile(path, 'utf8'))
  await writeFile(path, JSON.stringify({ ...value, ...fields }))
}

// Each layout as the tiny generator writes it, and what loading it must detect.
const LAYOUTS: [string, TinySdOptions, object | null, string, number][] = [
  ['SD 1.5', { scheduler: 'pndm' }, null, 'sd', 25],
  // SD 2.1: v-prediction under DDIM (its config); the layout is SD's.
  ['SD 2.1', { scheduler: 'ddim' }, { prediction_type: 'v_prediction' }, 'sd', 25],
  ['LCM', { scheduler: 'lcm', timestepCond: true, timestep: 'scalar' }, null, 'sd-lcm', 4],
  [
    'SD-Turbo',
    { scheduler: 'euler', timestepSpacing: 'trailing', timestep: 'float' },
    null,
    'sd-turbo',
    1,
  ],
  ['SDXL', { family: 'sdxl', scheduler: 'euler', timestep: 'float' }, null, 'sdxl', 25],
  [
    'SDXL-Turbo',
    { family: 'sdxl', scheduler: 'euler', timestepSpacing: 'trailing', timestep: 'float' },
    null,
    'sdxl-turbo',
    1,
  ],
]

describe.each(['fp32', 'fp16'] as const)('Layouts in %s', (precision: Precision) => {
  it.each(LAYOUTS)('Should load and run %s', async (name, options, scheduler, layout, steps) => {
    const dir = await writeSet(`${name}-${precision}`.replace(/[ .]/g, '_'), {
      ...options,
      precision,
    })
    if (scheduler) await patchJson(dir, 'scheduler/scheduler_config.json', scheduler)
    const pipe = await loadSdPipeline(dir)
    expect(pipe.labels).toEqual({ layout, precision })
    expect(pipe.defaults.steps).toBe(steps)
    // Few steps keep it quick; the defaults above are what a caller gets without them.
    const image = await pipe.generate({
      prompt: 'a red mug',
      seed: 2,
      steps: 2,
      width: 64,
      height: 64,
    })
    await pipe.release()
    expect(new Set(image.data).size).toBeGreaterThan(20)
  })
})

describe('Mixed precision', () => {
  it('Should run an fp16 UNet with an fp32 VAE and stay close to the fp32 image', async () => {
    const base = { seed: 3, scheduler: 'ddim', timestep: 'float' } as const
    const fp32 = await loadSdPipeline(await writeSet('mixed-32', base))
    const mixed = await loadSdPipeline(
      await writeSet('mixed-16', { ...base, precision: 'fp16', vaePrecision: 'fp32' }),
    )
    expect(mixed.labels.precision).toBe('fp16-vae-fp32')
    expect(mixed.bindings.precision).toEqual({
      textEncoder: 'fp16',
      unet: 'fp16',
      vaeDecoder: 'fp32',
    })
    const options = { prompt: 'a cat', seed: 5, steps: 4, width: 64, height: 64 }
    const a = await fp32.generate(options)
    const b = await mixed.generate(options)
    await Promise.all([fp32.release(), mixed.release()])
    // Same weights rounded to float16: the images differ by rounding, not in content.
    let total = 0
    for (let i = 0; i < a.data.length; i++) total += Math.abs(a.data[i]! - b.data[i]!)
    expect(total / a.data.length).toBeLessThan(2)
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(false)
  })
})

describe('SDXL VAE precision', () => {
  it('Should warn when an SDXL VAE that needs fp32 (force_upcast) is exported in fp16', async () => {
    const warnings: string[] = []
    const logger = { info: () => {}, warn: (_: object, msg: string) => warnings.push(msg) }
    const base = { family: 'sdxl', scheduler: 'euler', timestep: 'float' } as const
    const fp16 = await loadSdPipeline(await writeSet('xl-vae16', { ...base, precision: 'fp16' }), {
      logger,
    })
    await fp16.release()
    expect(warnings).toEqual([
      expect.stringMatching(/^fp16 VAE decoder whose config sets force_upcast/),
    ])
    const fixed = await loadSdPipeline(
      await writeSet('xl-vae32', { ...base, precision: 'fp16', vaePrecision: 'fp32' }),
      { logger },
    )
    await fixed.release()
    expect(warnings).toHaveLength(1)
  })
})

describe('SDXL conditioning', () => {
  it("Should feed both encoders' states, pooled text_embeds and time_ids, zeros for an empty negative", async () => {
    const dir = await writeSet('xl-cond', { family: 'sdxl', scheduler: 'euler', timestep: 'float' })
    const log: UnetLog = { held: {}, batches: [], timesteps: [] }
    const pipe = await loadSdPipeline(dir, { backend: recordingBackend(log) })
    expect(pipe.bindings.encoders.map((e) => [e.hiddenOutput, e.pooledOutput])).toEqual([
      ['hidden_states.1', null],
      ['hidden_states.1', 'text_embeds'],
    ])
    expect(pipe.files.vaeScalingFactor).toBe(0.13025)
    await pipe.generate({ prompt: 'a cat', seed: 1, steps: 2, width: 128, height: 64 })
    expect(log.batches).toEqual([2, 2])
    const states = log.held.encoder_hidden_states!
    const pooled = log.held.text_embeds!
    expect(states.dims).toEqual([2, 77, 80])
    expect(pooled.dims).toEqual([2, 48])
    const half = (t: Tensor, second: boolean) => {
      const n = t.data.length / 2
      return Array.from(t.data.slice(second ? n : 0, second ? 2 * n : n) as Float32Array)
    }
    // force_zeros_for_empty_prompt: the unconditional half is zeros, the conditional is not.
    expect(half(states, false).every((v) => v === 0)).toBe(true)
    expect(half(pooled, false).every((v) => v === 0)).toBe(true)
    expect(half(states, true).some((v) => v !== 0)).toBe(true)
    // (original h, w, crop top, left, target h, w) per batch entry.
    expect(Array.from(log.held.time_ids!.data as Float32Array)).toEqual([
      64, 128, 0, 0, 64, 128, 64, 128, 0, 0, 64, 128,
    ])

    // A negative prompt is encoded, not zeroed; guidance 1 runs one batch.
    log.batches.length = 0
    await pipe.generate({
      prompt: 'a cat',
      negativePrompt: 'blurry',
      seed: 1,
      steps: 1,
      width: 64,
      height: 64,
    })
    expect(half(log.held.text_embeds!, false).some((v) => v !== 0)).toBe(true)
    await pipe.generate({
      prompt: 'a cat',
      seed: 1,
      steps: 1,
      guidanceScale: 1,
      width: 64,
      height: 64,
    })
    expect(log.batches).toEqual([2, 1])
    await pipe.release()
  })

  it('Should run Turbo in one UNet call of batch 1 at t = 999', async () => {
    const dir = await writeSet('xl-turbo-calls', {
      family: 'sdxl',
      scheduler: 'euler',
      timestepSpacing: 'trailing',
      timestep: 'float',
    })
    const log: UnetLog = { held: {}, batches: [], timesteps: [] }
    const pipe = await loadSdPipeline(dir, { backend: recordingBackend(log) })
    await pipe.generate({ prompt: 'a cat', seed: 1, width: 64, height: 64 })
    await pipe.release()
    expect(log.batches).toEqual([1])
    expect(log.timesteps).toEqual([999])
  })
})

describe('Unsupported layouts', () => {
  it('Should name the missing SDXL file', async () => {
    const dir = await writeSet('xl-missing', { family: 'sdxl' })
    await rm(join(dir, 'text_encoder_2', 'model.onnx'))
    await expect(loadSdPipeline(dir)).rejects.toThrow(
      `Missing second text encoder model (SDXL): ${join(dir, 'text_encoder_2', 'model.onnx')}`,
    )
    await rm(join(dir, 'tokenizer_2'), { recursive: true })
    await expect(loadSdPipeline(dir)).rejects.toThrow(join(dir, 'tokenizer_2', 'vocab.json'))
  })

  it('Should name an unsupported pipeline class and a refiner', async () => {
    const dir = await writeSet('unsupported', {})
    await patchJson(dir, 'model_index.json', { _class_name: 'StableDiffusion3Pipeline' })
    await expect(loadSdPipeline(dir)).rejects.toThrow(
      /pipeline class "StableDiffusion3Pipeline" is not supported; supported: StableDiffusionPipeline/,
    )
    await patchJson(dir, 'model_index.json', {
      _class_name: 'StableDiffusionXLImg2ImgPipeline',
    })
    await expect(loadSdPipeline(dir)).rejects.toThrow(/StableDiffusionXLImg2ImgPipeline/)
    await patchJson(dir, 'model_index.json', {
      _class_name: 'StableDiffusionXLPipeline',
      text_encoder: [null, null],
    })
    await expect(loadSdPipeline(dir)).rejects.toThrow(/no text_encoder \(an SDXL refiner\?\)/)
  })

  it('Should ask for the hidden states an SDXL encoder was exported without', async () => {
    const dir = await writeSet('xl-no-states', { family: 'sdxl' })
    const path = join(dir, 'text_encoder', 'model.onnx')
    await writeFile(path, encodeModel(tinyTextEncoder(1, 100, { inputIds: 'int32' })).model)
    await expect(loadSdPipeline(dir)).rejects.toThrow(
      `${path}: SDXL needs the encoder's hidden states as outputs "hidden_states.0".."hidden_states.N"`,
    )
  })
})
