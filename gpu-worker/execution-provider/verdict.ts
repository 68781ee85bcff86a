/**
 * @module
 * Whether the GPU worker runs where it was asked to. ORT has no fallback of
 * its own, so `openSession` tries `EXECUTION_PROVIDERS` in order and a model
 * whose GPU provider failed lands on `cpu` quietly; this says so, and under
 * `REQUIRE_GPU=true` refuses it. Pure.
 */

/** Provider per model session, by the model's log name (`unet`). */
export type ModelProviders = Readonly<Record<string, string>>

/** What {@link judgeExecutionProviders} decides from. */
export interface ProviderInputs {
  /** `EXECUTION_PROVIDERS`, in order. */
  requested: readonly string[]
  inUse: ModelProviders
  /** `REQUIRE_GPU`. */
  requireGpu: boolean
}

/** The decision, with a message for `/readyz` and the log. */
export interface ProviderVerdict {
  /** False only under `REQUIRE_GPU=true`: the worker must not count as ready. */
  ok: boolean
  /** A GPU provider was asked for and some model runs on the CPU instead. */
  fellBack: boolean
  /** `running on cuda`, or `running on cpu, REQUIRE_GPU=true wants one of cuda,webgpu`. */
  message: string
}

const CPU = 'cpu'

/**
 * Judges the providers in use against the ones asked for.
 * @example
 * judgeExecutionProviders({ requested: ['cuda', 'cpu'], inUse: { unet: 'cpu' }, requireGpu: true })
 * // { ok: false, fellBack: true, message: 'running on cpu, REQUIRE_GPU=true wants one of cuda' }
 */
export function judgeExecutionProviders(inputs: ProviderInputs): ProviderVerdict {
  const wanted = [...new Set(inputs.requested.filter((p) => p !== CPU))]
  const onCpu = Object.values(inputs.inUse).includes(CPU)
  const running = describeInUse(inputs.inUse)
  if (!onCpu) return { ok: true, fellBack: false, message: running }
  if (wanted.length === 0) {
    return inputs.requireGpu
      ? {
          ok: false,
          fellBack: false,
          message: `${running}, REQUIRE_GPU=true but EXECUTION_PROVIDERS names no GPU provider`,
        }
      : { ok: true, fellBack: false, message: running }
  }
  const list = wanted.join(',')
  return inputs.requireGpu
    ? { ok: false, fellBack: true, message: `${running}, REQUIRE_GPU=true wants one of ${list}` }
    : { ok: true, fellBack: true, message: `${running}, fell back from ${list}` }
}

/** `running on cpu`, or per provider when the models differ: `running on cuda (unet), cpu (vae_decoder)`. */
function describeInUse(inUse: ModelProviders): string {
  const byProvider = new Map<string, string[]>()
  for (const [model, provider] of Object.entries(inUse)) {
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), model])
  }
  if (byProvider.size <= 1) return `running on ${[...byProvider.keys()][0] ?? 'nothing'}`
  const parts = [...byProvider].map(([provider, models]) => `${provider} (${models.join(', ')})`)
  return `running on ${parts.join(', ')}`
}
