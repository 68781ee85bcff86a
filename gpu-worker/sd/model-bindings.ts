/**
 * @module
 * Checks the three sessions against the tensor names and types of the SD export
 * (FACTS.md "Stable Diffusion ONNX export") and records the variations the
 * pipeline must follow: int32 or int64 `input_ids`; an int64 [B], float32 [B] or
 * float32 rank-0 `timestep`; LCM's optional `timestep_cond`. A wrong name fails
 * here, naming the model file and the tensor, rather than deep inside a run.
 */
import type { ModelSession, TensorInfo } from './backend/types.ts'
import { SdModelError } from './files.ts'

/** How to feed the UNet's timestep. */
export interface TimestepFormat {
  type: 'int64' | 'float32'
  /** A rank-0 tensor rather than one value per batch entry. */
  scalar: boolean
}

/** What the pipeline learned from the sessions' metadata. */
export interface SdBindings {
  inputIdsType: 'int32' | 'int64'
  timestep: TimestepFormat
  /** Channels of the latents (4 for SD 1.x/2.x). */
  latentChannels: number
  /** Width of LCM's guidance embedding when the UNet takes `timestep_cond`. */
  timestepCondDim: number | null
}

const DEFAULT_LATENT_CHANNELS = 4
// diffusers' LCM UNets use a 256-wide guidance embedding (time_cond_proj_dim).
const DEFAULT_TIMESTEP_COND_DIM = 256

/**
 * Validates the sessions and derives the {@link SdBindings}.
 * @param paths model file of each session, for error messages
 * @throws SdModelError naming the file and the tensor that is missing or mistyped
 */
export function bindSdSessions(
  sessions: { textEncoder: ModelSession; unet: ModelSession; vaeDecoder: ModelSession },
  paths: { textEncoder: string; unet: string; vaeDecoder: string },
): SdBindings {
  const te = checker(sessions.textEncoder, paths.textEncoder)
  const unet = checker(sessions.unet, paths.unet)
  const vae = checker(sessions.vaeDecoder, paths.vaeDecoder)

  const inputIds = te.input('input_ids', ['int32', 'int64'])
  te.output('last_hidden_state', ['float32'])
  const sample = unet.input('sample', ['float32'])
  const timestep = unet.input('timestep', ['int64', 'float32'])
  unet.input('encoder_hidden_states', ['float32'])
  unet.output('out_sample', ['float32'])
  vae.input('latent_sample', ['float32'])
  vae.output('sample', ['float32'])

  const cond = sessions.unet.inputs.find((i) => i.name === 'timestep_cond')
  if (cond) unet.input('timestep_cond', ['float32'])
  const channels = sample.shape[1]
  const condDim = cond?.shape[1]
  return {
    inputIdsType: inputIds.type as 'int32' | 'int64',
    timestep: { type: timestep.type as 'int64' | 'float32', scalar: timestep.shape.length === 0 },
    latentChannels: typeof channels === 'number' ? channels : DEFAULT_LATENT_CHANNELS,
    timestepCondDim: cond
      ? typeof condDim === 'number'
        ? condDim
        : DEFAULT_TIMESTEP_COND_DIM
      : null,
  }
}

function checker(session: ModelSession, path: string) {
  const find = (
    kind: 'input' | 'output',
    list: readonly TensorInfo[],
    name: string,
    types: readonly string[],
  ): TensorInfo => {
    const info = list.find((i) => i.name === name)
    if (!info) {
      const found = list.map((i) => i.name).join(', ') || 'none'
      throw new SdModelError(`${path}: expected ${kind} tensor "${name}", found ${kind}s: ${found}`)
    }
    if (!types.includes(info.type)) {
      throw new SdModelError(
        `${path}: ${kind} tensor "${name}" has element type ${info.type}; supported: ${types.join(', ')}`,
      )
    }
    return info
  }
  return {
    input: (name: string, types: readonly string[]) => find('input', session.inputs, name, types),
    output: (name: string, types: readonly string[]) =>
      find('output', session.outputs, name, types),
  }
}
