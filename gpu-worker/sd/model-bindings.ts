/**
 * @module
 * Checks the sessions against the tensor names and types of the SD export
 * (FACTS.md "Stable Diffusion ONNX export") and records the variations the
 * pipeline must follow: int32 or int64 `input_ids`; an int64 [B], float [B] or
 * float rank-0 `timestep`; LCM's optional `timestep_cond`; SDXL's two encoders
 * (penultimate hidden states, pooled `text_embeds`) and its `text_embeds` /
 * `time_ids` UNet inputs; and each model's precision (float32 or float16 ports,
 * converted at the session boundary). A wrong name fails here, naming the model
 * file and the tensor, rather than deep inside a run.
 */
import type { ModelSession, TensorInfo } from './backend/types.ts'
import { SdModelError } from './files.ts'
import type { SdFamily } from './layout.ts'
import { type Precision, precisionOf } from './precision/boundary.ts'

/** How to feed the UNet's timestep (float covers float32 and float16 models). */
export interface TimestepFormat {
  type: 'int64' | 'float32'
  /** A rank-0 tensor rather than one value per batch entry. */
  scalar: boolean
}

/** How to run one text encoder. */
export interface EncoderBinding {
  inputIdsType: 'int32' | 'int64'
  /** The output the UNet is conditioned on: `last_hidden_state`, or SDXL's penultimate `hidden_states.N`. */
  hiddenOutput: string
  /** Width of that output's last axis, when the model fixes it. */
  hiddenWidth: number | null
  /** SDXL's second encoder: the pooled, projected `text_embeds`. */
  pooledOutput: string | null
}

/** What the pipeline learned from the sessions' metadata. */
export interface SdBindings {
  /** One encoder (SD) or two (SDXL), in the order their hidden states are concatenated. */
  encoders: EncoderBinding[]
  timestep: TimestepFormat
  /** Channels of the latents (4 for SD 1.x/2.x and SDXL). */
  latentChannels: number
  /** Width of LCM's guidance embedding when the UNet takes `timestep_cond`. */
  timestepCondDim: number | null
  /** SDXL's `time_ids` width (6), or null when the UNet has no added conditioning. */
  timeIdsDim: number | null
  /** Precision of each model, from its float ports. */
  precision: { textEncoder: Precision; unet: Precision; vaeDecoder: Precision }
}

/** The sessions of a pipeline (`textEncoder2` for SDXL only). */
export interface SdSessions<T> {
  textEncoder: T
  textEncoder2?: T
  unet: T
  vaeDecoder: T
}

const FLOAT = ['float32', 'float16'] as const
const DEFAULT_LATENT_CHANNELS = 4
// diffusers' LCM UNets use a 256-wide guidance embedding (time_cond_proj_dim).
const DEFAULT_TIMESTEP_COND_DIM = 256
const SDXL_TIME_IDS = 6

/**
 * Validates the sessions and derives the {@link SdBindings}.
 * @param paths model file of each session, for error messages
 * @throws SdModelError naming the file and the tensor that is missing or mistyped
 */
export function bindSdSessions(
  family: SdFamily,
  sessions: SdSessions<ModelSession>,
  paths: SdSessions<string>,
): SdBindings {
  const unet = checker(sessions.unet, paths.unet)
  const vae = checker(sessions.vaeDecoder, paths.vaeDecoder)
  const encoders = [bindEncoder(family, sessions.textEncoder, paths.textEncoder, false)]
  if (family === 'sdxl') {
    if (!sessions.textEncoder2 || !paths.textEncoder2) {
      throw new SdModelError('SDXL needs text_encoder_2/model.onnx')
    }
    encoders.push(bindEncoder(family, sessions.textEncoder2, paths.textEncoder2, true))
  }

  const sample = unet.input('sample', FLOAT)
  const timestep = unet.input('timestep', ['int64', ...FLOAT])
  unet.input('encoder_hidden_states', FLOAT)
  unet.output('out_sample', FLOAT)
  const latent = vae.input('latent_sample', FLOAT)
  vae.output('sample', FLOAT)

  let timeIdsDim: number | null = null
  if (family === 'sdxl') {
    unet.input('text_embeds', FLOAT)
    timeIdsDim = fixedWidth(unet.input('time_ids', FLOAT)) ?? SDXL_TIME_IDS
  }
  const cond = sessions.unet.inputs.find((i) => i.name === 'timestep_cond')
  if (cond) unet.input('timestep_cond', FLOAT)
  const channels = sample.shape[1]
  return {
    encoders,
    timestep: {
      type: timestep.type === 'int64' ? 'int64' : 'float32',
      scalar: timestep.shape.length === 0,
    },
    latentChannels: typeof channels === 'number' ? channels : DEFAULT_LATENT_CHANNELS,
    timestepCondDim: cond ? (fixedWidth(cond) ?? DEFAULT_TIMESTEP_COND_DIM) : null,
    timeIdsDim,
    precision: {
      textEncoder: precisionOf(
        sessions.textEncoder.outputs.find((o) => o.name === encoders[0]!.hiddenOutput)!.type,
      ),
      unet: precisionOf(sample.type),
      vaeDecoder: precisionOf(latent.type),
    },
  }
}

/**
 * SD 1.x/2.x condition on `last_hidden_state`; SDXL on each encoder's
 * penultimate layer (`hidden_states[-2]` in diffusers), plus the second
 * encoder's pooled `text_embeds`.
 */
function bindEncoder(
  family: SdFamily,
  session: ModelSession,
  path: string,
  pooled: boolean,
): EncoderBinding {
  const te = checker(session, path)
  const inputIds = te.input('input_ids', ['int32', 'int64'])
  const hiddenOutput = family === 'sdxl' ? penultimate(session, path) : 'last_hidden_state'
  const hidden = te.output(hiddenOutput, FLOAT)
  if (pooled) te.output('text_embeds', FLOAT)
  return {
    inputIdsType: inputIds.type as 'int32' | 'int64',
    hiddenOutput,
    hiddenWidth: fixedWidth(hidden),
    pooledOutput: pooled ? 'text_embeds' : null,
  }
}

function penultimate(session: ModelSession, path: string): string {
  let last = -1
  for (const o of session.outputs) {
    const match = /^hidden_states\.(\d+)$/.exec(o.name)
    if (match) last = Math.max(last, Number(match[1]))
  }
  if (last < 1) {
    const found = session.outputs.map((o) => o.name).join(', ')
    throw new SdModelError(
      `${path}: SDXL needs the encoder's hidden states as outputs "hidden_states.0".."hidden_states.N" (export with output_hidden_states); found outputs: ${found}`,
    )
  }
  return `hidden_states.${last - 1}`
}

function fixedWidth(info: TensorInfo): number | null {
  const last = info.shape[info.shape.length - 1]
  return typeof last === 'number' ? last : null
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
