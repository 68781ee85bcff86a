import { describe, expect, it } from 'vitest'
import { openSession } from './open-session.ts'
import type { InferenceBackend, ModelSession } from './types.ts'

const session: ModelSession = {
  inputs: [],
  outputs: [],
  run: async () => ({}),
  hold: () => {
    throw new Error('not used')
  },
  release: async () => {},
}

/** A backend on which only the listed providers work. */
function backend(working: string[], tried: string[]): InferenceBackend {
  return {
    name: 'fake',
    async createSession(_path, provider) {
      tried.push(provider)
      if (!working.includes(provider)) throw new Error(`${provider} is not available`)
      return session
    },
  }
}

describe('openSession', () => {
  it('Should try providers in order, log each failure and report the one that worked', async () => {
    const tried: string[] = []
    const warnings: object[] = []
    const logger = { info: () => {}, warn: (obj: object) => warnings.push(obj) }
    const opened = await openSession(
      backend(['cpu'], tried),
      'm.onnx',
      ['cuda', 'webgpu', 'cpu'],
      'unet',
      logger,
    )
    expect(opened.provider).toBe('cpu')
    expect(tried).toEqual(['cuda', 'webgpu', 'cpu'])
    expect(warnings).toEqual([
      { model: 'unet', provider: 'cuda', err: 'cuda is not available' },
      { model: 'unet', provider: 'webgpu', err: 'webgpu is not available' },
    ])
  })

  it('Should stop at the first provider that works', async () => {
    const tried: string[] = []
    await openSession(backend(['webgpu', 'cpu'], tried), 'm.onnx', ['webgpu', 'cpu'], 'unet')
    expect(tried).toEqual(['webgpu'])
  })

  it('Should list every failure when no provider works', async () => {
    await expect(openSession(backend([], []), 'm.onnx', ['cuda', 'cpu'], 'unet')).rejects.toThrow(
      'Could not open m.onnx (unet) on any provider: cuda: cuda is not available; cpu: cpu is not available',
    )
    await expect(openSession(backend([], []), 'm.onnx', [], 'unet')).rejects.toThrow(
      /No execution providers/,
    )
  })
})
