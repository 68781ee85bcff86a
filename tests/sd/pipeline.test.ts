import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type InferenceBackend,
  loadSdPipeline,
  onnxNodeBackend,
  SdInputError,
  type SdPipeline,
  writeTinySdModelSet,
} from '../../gpu-worker/sd/index.ts'
import { encodeModel } from '../../gpu-worker/sd/onnx/index.ts'
import { tinyVaeDecoder } from '../../gpu-worker/sd/tiny/index.ts'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sd-pipeline-'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

/** Wraps the real backend to record the batch size of every UNet call. */
function spyBackend(batches: number[]): InferenceBackend {
  return {
    name: 'spy',
    async createSession(path, provider, options) {
      const session = await onnxNodeBackend.createSession(path, provider, options)
      return {
        ...session,
        run(feeds, names) {
          if (feeds.sample) batches.push(feeds.sample.dims[0]!)
          return session.run(feeds, names)
        },
      }
    },
  }
}

describe('SdPipeline on the tiny model set', () => {
  let pipe: SdPipeline
  beforeAll(async () => {
    await writeTinySdModelSet(join(root, 'int64'), { timestep: 'int64', seed: 1 })
    pipe = await loadSdPipeline(join(root, 'int64'))
  })
  afterAll(() => pipe.release())

  it('Should give identical bytes for the same seed and settings', async () => {
    const options = { prompt: 'a photo of a cat', seed: 42, steps: 6, width: 128, height: 96 }
    const a = await pipe.generate(options)
    const b = await pipe.generate(options)
    expect(a.data).toHaveLength(128 * 96 * 3)
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true)
  })

  it('Should give a different image for another seed or prompt', async () => {
    const base = { prompt: 'a photo of a cat', seed: 1, steps: 4, width: 64, height: 64 }
    const a = await pipe.generate(base)
    const otherSeed = await pipe.generate({ ...base, seed: 2 })
    const otherPrompt = await pipe.generate({ ...base, prompt: 'a red mug' })
    expect(Buffer.from(a.data).equals(Buffer.from(otherSeed.data))).toBe(false)
    expect(Buffer.from(a.data).equals(Buffer.from(otherPrompt.data))).toBe(false)
  })

  it('Should make a 512x512 image, report progress per UNet call and time each stage', async () => {
    const progress: [number, number][] = []
    const image = await pipe.generate({
      prompt: 'shirt design',
      seed: 3,
      steps: 5,
      onProgress: (step, total) => progress.push([step, total]),
    })
    expect([image.width, image.height, image.data.length]).toEqual([512, 512, 512 * 512 * 3])
    // PNDM evaluates the UNet steps + 1 times.
    expect(progress).toEqual([1, 2, 3, 4, 5, 6].map((s) => [s, 6]))
    const t = image.timings
    // Every stage ran, so each took real time.
    for (const value of Object.values(t)) expect(value).toBeGreaterThan(0)
    expect(t.totalMs).toBeCloseTo(
      t.tokenizeMs + t.textEncoderMs + t.unetMs + t.vaeMs + t.overheadMs,
      6,
    )
    expect(new Set(image.data).size).toBeGreaterThan(50)
  })

  it('Should reject bad sizes, steps and guidance with clear errors before running', async () => {
    const ok = { prompt: 'x', seed: 1 }
    const cases: [object, RegExp][] = [
      [{ width: 500 }, /width must be a multiple of 8 from 64 to 1024, got 500/],
      [{ height: 2048 }, /height must be a multiple of 8 from 64 to 1024, got 2048/],
      [{ steps: 0 }, /steps must be an integer from 1 to 150, got 0/],
      [{ steps: 2.5 }, /steps must be an integer/],
      [{ guidanceScale: 31 }, /guidanceScale must be a number from 0 to 30, got 31/],
      [{ guidanceScale: Number.NaN }, /guidanceScale/],
      [{ seed: -1 }, /seed must be a non-negative integer/],
    ]
    for (const [bad, message] of cases) {
      const result = pipe.generate({ ...ok, ...bad })
      await expect(result).rejects.toThrow(message)
      await expect(result).rejects.toBeInstanceOf(SdInputError)
    }
  })

  it('Should stop between steps when aborted', async () => {
    const controller = new AbortController()
    const result = pipe.generate({
      prompt: 'x',
      seed: 1,
      steps: 10,
      width: 64,
      height: 64,
      signal: controller.signal,
      onProgress: (step) => step === 2 && controller.abort(),
    })
    await expect(result).rejects.toThrow(/abort/i)
  })
})

describe('Model set variations', () => {
  it('Should run int64, float32 [B] and float32 scalar timesteps, and int64 input_ids', async () => {
    const images: Uint8Array[] = []
    for (const timestep of ['int64', 'float', 'scalar'] as const) {
      const dir = join(root, `variant-${timestep}`)
      await writeTinySdModelSet(dir, {
        timestep,
        inputIds: timestep === 'float' ? 'int64' : 'int32',
      })
      const pipe = await loadSdPipeline(dir)
      expect(pipe.bindings.timestep).toEqual({
        type: timestep === 'int64' ? 'int64' : 'float32',
        scalar: timestep === 'scalar',
      })
      const image = await pipe.generate({
        prompt: 'a cat',
        seed: 5,
        steps: 3,
        width: 64,
        height: 64,
      })
      images.push(image.data)
      await pipe.release()
    }
    // Same weights, integer timesteps (PNDM): every variant computes the same image.
    expect(Buffer.from(images[1]!).equals(Buffer.from(images[0]!))).toBe(true)
    expect(Buffer.from(images[2]!).equals(Buffer.from(images[0]!))).toBe(true)
  })

  it('Should batch unconditional and conditional for guidance > 1, and skip it at <= 1 and for LCM', async () => {
    const dir = join(root, 'guidance')
    await writeTinySdModelSet(dir, {})
    const batches: number[] = []
    const pipe = await loadSdPipeline(dir, { backend: spyBackend(batches), scheduler: 'ddim' })
    await pipe.generate({
      prompt: 'a',
      seed: 1,
      steps: 2,
      width: 64,
      height: 64,
      guidanceScale: 7.5,
    })
    await pipe.generate({ prompt: 'a', seed: 1, steps: 2, width: 64, height: 64, guidanceScale: 1 })
    expect(batches).toEqual([2, 2, 1, 1])
    await pipe.release()

    const lcmDir = join(root, 'lcm')
    await writeTinySdModelSet(lcmDir, { scheduler: 'lcm', timestepCond: true, timestep: 'scalar' })
    const lcmBatches: number[] = []
    const lcm = await loadSdPipeline(lcmDir, { backend: spyBackend(lcmBatches) })
    expect(lcm.bindings.timestepCondDim).toBe(256)
    const image = await lcm.generate({ prompt: 'a', seed: 1, width: 64, height: 64 })
    expect([image.scheduler, image.steps, image.guidanceScale]).toEqual(['lcm', 4, 8.5])
    expect(lcmBatches).toEqual([1, 1, 1, 1])
    await lcm.release()
  })

  it('Should run every scheduler reproducibly, the stochastic ones included', async () => {
    const dir = join(root, 'schedulers')
    await writeTinySdModelSet(dir, { timestep: 'float' })
    for (const scheduler of ['ddim', 'euler', 'euler-ancestral'] as const) {
      const pipe = await loadSdPipeline(dir, { scheduler })
      const options = { prompt: 'a cat', seed: 9, steps: 4, width: 64, height: 64 }
      const a = await pipe.generate(options)
      const b = await pipe.generate(options)
      expect(Buffer.from(a.data).equals(Buffer.from(b.data)), scheduler).toBe(true)
      await pipe.release()
    }
  })

  it('Should fall back to the next execution provider and report the one in use', async () => {
    const dir = join(root, 'providers')
    await writeTinySdModelSet(dir, {})
    const warnings: object[] = []
    const logger = { info: () => {}, warn: (obj: object) => warnings.push(obj) }
    const pipe = await loadSdPipeline(dir, { providers: ['no-such-provider', 'cpu'], logger })
    expect(pipe.providers).toEqual({ textEncoder: 'cpu', unet: 'cpu', vaeDecoder: 'cpu' })
    expect(warnings).toHaveLength(3)
    expect(warnings[0]).toMatchObject({ model: 'text_encoder', provider: 'no-such-provider' })
    await pipe.release()
    await expect(loadSdPipeline(dir, { providers: ['no-such-provider'] })).rejects.toThrow(
      /on any provider: no-such-provider:/,
    )
  })
})

describe('Broken model sets', () => {
  it('Should name the missing file', async () => {
    const dir = join(root, 'missing')
    await writeTinySdModelSet(dir, {})
    await unlink(join(dir, 'unet', 'model.onnx'))
    await expect(loadSdPipeline(dir)).rejects.toThrow(
      `Missing UNet model: ${join(dir, 'unet', 'model.onnx')}`,
    )
    await unlink(join(dir, 'tokenizer', 'merges.txt'))
    await expect(loadSdPipeline(dir)).rejects.toThrow(join(dir, 'tokenizer', 'merges.txt'))
  })

  it('Should name the model file and the tensor when a tensor name is wrong', async () => {
    const dir = join(root, 'renamed')
    await writeTinySdModelSet(dir, {})
    const graph = tinyVaeDecoder(1)
    const renamed = {
      ...graph,
      nodes: graph.nodes.map((n) => ({
        ...n,
        inputs: n.inputs.map((i) => (i === 'latent_sample' ? 'latents' : i)),
      })),
      inputs: graph.inputs.map((i) => ({ ...i, name: 'latents' })),
    }
    const path = join(dir, 'vae_decoder', 'model.onnx')
    await writeFile(path, encodeModel(renamed).model)
    await expect(loadSdPipeline(dir)).rejects.toThrow(
      `${path}: expected input tensor "latent_sample", found inputs: latents`,
    )
  })
})
