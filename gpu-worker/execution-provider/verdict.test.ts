import { describe, expect, it } from 'vitest'
import { judgeExecutionProviders } from './verdict.ts'

const all = (provider: string) => ({
  text_encoder: provider,
  unet: provider,
  vae_decoder: provider,
})

describe('judgeExecutionProviders', () => {
  it('Should pass when every model runs on a GPU provider, whatever REQUIRE_GPU says', () => {
    for (const requireGpu of [true, false]) {
      expect(
        judgeExecutionProviders({ requested: ['cuda', 'cpu'], inUse: all('cuda'), requireGpu }),
      ).toEqual({ ok: true, fellBack: false, message: 'running on cuda' })
    }
  })

  it('Should fail a CPU fallback under REQUIRE_GPU=true, naming the GPU providers asked for', () => {
    expect(
      judgeExecutionProviders({
        requested: ['cuda', 'webgpu', 'cpu'],
        inUse: all('cpu'),
        requireGpu: true,
      }),
    ).toEqual({
      ok: false,
      fellBack: true,
      message: 'running on cpu, REQUIRE_GPU=true wants one of cuda,webgpu',
    })
  })

  it('Should pass a CPU fallback with REQUIRE_GPU=false, flagged for a warning', () => {
    expect(
      judgeExecutionProviders({ requested: ['cuda', 'cpu'], inUse: all('cpu'), requireGpu: false }),
    ).toEqual({ ok: true, fellBack: true, message: 'running on cpu, fell back from cuda' })
  })

  it('Should treat one model on the CPU as a fallback and name which models run where', () => {
    const verdict = judgeExecutionProviders({
      requested: ['cuda', 'cpu'],
      inUse: { text_encoder: 'cuda', unet: 'cuda', vae_decoder: 'cpu' },
      requireGpu: true,
    })
    expect(verdict).toEqual({
      ok: false,
      fellBack: true,
      message:
        'running on cuda (text_encoder, unet), cpu (vae_decoder), REQUIRE_GPU=true wants one of cuda',
    })
  })

  it('Should pass a CPU-only configuration quietly, and fail it under REQUIRE_GPU=true', () => {
    const cpuOnly = { requested: ['cpu'], inUse: all('cpu') }
    expect(judgeExecutionProviders({ ...cpuOnly, requireGpu: false })).toEqual({
      ok: true,
      fellBack: false,
      message: 'running on cpu',
    })
    expect(judgeExecutionProviders({ ...cpuOnly, requireGpu: true })).toEqual({
      ok: false,
      fellBack: false,
      message: 'running on cpu, REQUIRE_GPU=true but EXECUTION_PROVIDERS names no GPU provider',
    })
  })
})
