/**
 * The conditioning kept on the device, on the real ONNX Runtime: a backend
 * that reports the CPU provider as `cuda` and marks the text encoder's
 * `deviceOutputs` as held in `gpu-buffer` stands in for a GPU, so the pipeline
 * takes its device path; a UNet that refuses such inputs exercises the fallback.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Feed,
  type HeldTensor,
  type InferenceBackend,
  loadSdPipeline,
  onnxNodeBackend,
  writeTinySdModelSet,
} from '../../gpu-worker/sd/index.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sd-device-'))
  await writeTinySdModelSet(dir, { seed: 4 })
})
afterAll(() => rm(dir, { recursive: true, force: true }))

interface DeviceLog {
  /** Locations of the UNet's encoder_hidden_states per run. */
  unetStates: string[]
  disposed: number
}

/** `cuda` runs on the CPU; outputs asked to stay on the device come back held as `gpu-buffer`. */
function pretendGpu(log: DeviceLog, unetAcceptsDevice: boolean): InferenceBackend {
  const real = new Map<HeldTensor, HeldTensor>()
  return {
    name: 'pretend-gpu',
    async createSession(path, provider, options) {
      if (provider !== 'cuda') throw new Error(`${provider} is not available`)
      const session = await onnxNodeBackend.createSession(path, 'cpu')
      const keep = new Set(options?.deviceOutputs ?? [])
      return {
        ...session,
        async run(feeds, names) {
          const states = feeds.encoder_hidden_states
          if (states) {
            const location = 'held' in states ? states.location : 'plain'
            log.unetStates.push(location)
            if (location === 'gpu-buffer' && !unetAcceptsDevice) {
              throw new Error('input encoder_hidden_states: device tensors are not supported')
            }
          }
          const unwrapped: Record<string, Feed> = {}
          for (const [name, feed] of Object.entries(feeds)) {
            unwrapped[name] = 'held' in feed ? (real.get(feed) ?? feed) : feed
          }
          const out = await session.run(unwrapped, names)
          for (const name of keep) {
            const tensor = out[name]
            if (!tensor || 'held' in tensor) continue
            const held = session.hold(name, tensor)
            const onDevice: HeldTensor = {
              held: true,
              type: held.type,
              dims: held.dims,
              location: 'gpu-buffer',
              read: () => held.read(),
              dispose: () => {
                log.disposed++
                held.dispose()
              },
            }
            real.set(onDevice, held)
            out[name] = onDevice
          }
          return out
        },
      }
    },
  }
}

const OPTIONS = { prompt: 'a cat', seed: 1, steps: 3, width: 64, height: 64 }

describe('Conditioning on the device', () => {
  it("Should hand the text encoder's device output to every UNet step, and free it", async () => {
    const log: DeviceLog = { unetStates: [], disposed: 0 }
    const pipe = await loadSdPipeline(dir, {
      providers: ['cuda'],
      backend: pretendGpu(log, true),
    })
    // The load-time probe ran the UNet once on the device tensor.
    expect(log.unetStates).toEqual(['gpu-buffer'])
    const onDevice = await pipe.generate(OPTIONS)
    await pipe.release()
    // PNDM: 3 steps are 4 UNet evaluations, each fed the device tensor as it is.
    expect(log.unetStates).toEqual(Array(5).fill('gpu-buffer'))
    expect(log.disposed).toBe(2)

    // Same bytes as the plain CPU pipeline: only where the tensor lives changed.
    const cpu = await loadSdPipeline(dir)
    const onHost = await cpu.generate(OPTIONS)
    await cpu.release()
    expect(Buffer.from(onDevice.data).equals(Buffer.from(onHost.data))).toBe(true)
  })

  it('Should fall back to copying through the host when the UNet refuses device inputs', async () => {
    const log: DeviceLog = { unetStates: [], disposed: 0 }
    const warnings: string[] = []
    const logger = { info: () => {}, warn: (_: object, msg: string) => warnings.push(msg) }
    const pipe = await loadSdPipeline(dir, {
      providers: ['cuda'],
      backend: pretendGpu(log, false),
      logger,
    })
    expect(warnings).toEqual([
      'text encoder output cannot stay on the device: copying it through the host',
    ])
    const image = await pipe.generate(OPTIONS)
    await pipe.release()
    expect(log.unetStates.slice(1)).toEqual(Array(4).fill('cpu'))
    expect(new Set(image.data).size).toBeGreaterThan(20)
  })
})
