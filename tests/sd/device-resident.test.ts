/**
 * The conditioning kept on the device, on the real ONNX Runtime with a pretend
 * GPU (pretend-gpu.ts), so the pipeline takes its device path; a UNet that
 * refuses such inputs exercises the fallback.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSdPipeline, writeTinySdModelSet } from '../../gpu-worker/sd/index.ts'
import { deviceLog, pretendGpu } from './pretend-gpu.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sd-device-'))
  await writeTinySdModelSet(dir, { seed: 4 })
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const OPTIONS = { prompt: 'a cat', seed: 1, steps: 3, width: 64, height: 64 }

describe('Conditioning on the device', () => {
  it("Should hand the text encoder's device output to every UNet step, and free it", async () => {
    const log = deviceLog()
    const pipe = await loadSdPipeline(dir, {
      providers: ['cuda'],
      backend: pretendGpu(log),
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
    const log = deviceLog()
    const warnings: string[] = []
    const logger = { info: () => {}, warn: (_: object, msg: string) => warnings.push(msg) }
    const pipe = await loadSdPipeline(dir, {
      providers: ['cuda'],
      backend: pretendGpu(log, (name) => name === 'encoder_hidden_states'),
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
