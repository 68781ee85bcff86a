/**
 * @module
 * The three tiny networks of the tiny model set. They keep the real export's
 * tensor names, dtypes and dynamic axes, and are real (if minute) networks whose
 * outputs depend on every input, so the pipeline's wiring is exercised for real:
 *
 * - text encoder: token + position embedding, a dense layer, Tanh -> [B, 77, D];
 *   SDXL style: two layers, each layer's states as `hidden_states.k`, and the
 *   second encoder's pooled states projected to `text_embeds`
 * - UNet: 3x3 conv, plus a sinusoidal timestep embedding and the pooled text
 *   states (and LCM's `timestep_cond`, or SDXL's `text_embeds` and `time_ids`),
 *   Tanh (optionally more conv blocks), 3x3 conv back to 4 channels, added
 *   to the input: predicting "the noise is the sample" makes the schedulers
 *   shrink the noise like a real denoiser, so images stay in range
 * - VAE decoder: 1x1 conv from 4 to 3 channels, bilinear Resize (x8), Tanh
 */

import { SeededRandom } from '../../../core/platform/random.ts'
import type { GraphSpec, InitializerSpec, NodeSpec, ValueSpec } from '../onnx/onnx-model.ts'

/** How the UNet takes its timestep: int64 [B] (older exports), float32 [B], or float32 rank-0. */
export type TinyTimestep = 'int64' | 'float' | 'scalar'

/** Sizes of the tiny networks. */
export const TINY_DIMS = {
  /** Text hidden size (768 in SD 1.x). */
  hidden: 32,
  sequence: 77,
  latentChannels: 4,
  /** UNet inner channels. */
  unetChannels: 8,
  /** Sinusoidal timestep features. */
  timeFeatures: 16,
  /** LCM guidance embedding width. */
  timestepCond: 256,
  /** SDXL's second text encoder width and its projection (1280 for both in SDXL). */
  hidden2: 48,
  /** SDXL's `time_ids` width. */
  timeIds: 6,
  /** Pixels per latent pixel. */
  vaeScale: 8,
} as const

/** Builds seeded weights; every call advances the stream, so call order fixes the model. */
class WeightMaker {
  private readonly random: SeededRandom
  readonly initializers: InitializerSpec[] = []

  constructor(seed: number) {
    this.random = new SeededRandom(seed)
  }

  /** N(0, std^2) weights. */
  normal(name: string, dims: number[], std: number): string {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1))
    this.random.fill(data)
    for (let i = 0; i < data.length; i++) data[i] = data[i]! * std
    this.initializers.push({ name, type: 'float32', dims, data })
    return name
  }

  /** A float tensor with given values. */
  floats(name: string, dims: number[], values: Float32Array): string {
    this.initializers.push({ name, type: 'float32', dims, data: values })
    return name
  }

  /** An int64 tensor (shapes for Reshape). */
  int64(name: string, values: number[]): string {
    const data = BigInt64Array.from(values, (v) => BigInt(v))
    this.initializers.push({ name, type: 'int64', dims: [values.length], data })
    return name
  }
}

/** Options of {@link tinyTextEncoder}. */
export interface TinyEncoderOptions {
  inputIds: 'int32' | 'int64'
  /** Hidden width. @defaultValue TINY_DIMS.hidden */
  hidden?: number
  /** SDXL style: two layers, and every layer's states as `hidden_states.0..2`. */
  hiddenStates?: boolean
  /** SDXL's second encoder: the pooled states projected to this width, as `text_embeds`. */
  projection?: number
}

/**
 * The text encoder: `input_ids` [B, S] -> `last_hidden_state` [B, S, D] and
 * `pooler_output` [B, D] (or `text_embeds` [B, P] with a projection), plus
 * `hidden_states.k` for SDXL-style encoders.
 */
export function tinyTextEncoder(
  seed: number,
  vocabSize: number,
  options: TinyEncoderOptions,
): GraphSpec {
  const { sequence } = TINY_DIMS
  const d = options.hidden ?? TINY_DIMS.hidden
  const w = new WeightMaker(seed)
  const layers = options.hiddenStates ? 2 : 1
  const nodes: NodeSpec[] = [
    {
      op: 'Gather',
      inputs: [w.normal('token_embedding', [vocabSize, d], 1), 'input_ids'],
      outputs: ['tok'],
    },
    {
      op: 'Add',
      inputs: ['tok', w.normal('position_embedding', [sequence, d], 0.5)],
      outputs: ['emb'],
    },
  ]
  const states = ['emb']
  for (let l = 0; l < layers; l++) {
    const p = l === 0 ? 'dense' : `dense${l + 1}`
    const out = l === layers - 1 ? 'last_hidden_state' : `layer${l + 1}`
    nodes.push(
      {
        op: 'MatMul',
        inputs: [states[l]!, w.normal(`${p}.weight`, [d, d], 1 / Math.sqrt(d))],
        outputs: [`${p}_mm`],
      },
      { op: 'Add', inputs: [`${p}_mm`, w.normal(`${p}.bias`, [d], 0.1)], outputs: [`${p}_pre`] },
      { op: 'Tanh', inputs: [`${p}_pre`], outputs: [out] },
    )
    states.push(out)
  }
  const pooledName = options.projection ? 'pooled' : 'pooler_output'
  nodes.push({
    op: 'ReduceMean',
    inputs: ['last_hidden_state'],
    outputs: [pooledName],
    attributes: { axes: { ints: [1] }, keepdims: { i: 0 } },
  })
  const textStates = (name: string): ValueSpec => ({
    name,
    type: 'float32',
    shape: ['batch_size', 'sequence_length', d],
  })
  const outputs: ValueSpec[] = [textStates('last_hidden_state')]
  if (options.projection) {
    const p = options.projection
    nodes.push({
      op: 'MatMul',
      inputs: ['pooled', w.normal('text_projection', [d, p], 1 / Math.sqrt(d))],
      outputs: ['text_embeds'],
    })
    outputs.unshift({ name: 'text_embeds', type: 'float32', shape: ['batch_size', p] })
  } else {
    outputs.push({ name: 'pooler_output', type: 'float32', shape: ['batch_size', d] })
  }
  if (options.hiddenStates) {
    for (const [k, state] of states.entries()) {
      nodes.push({ op: 'Identity', inputs: [state], outputs: [`hidden_states.${k}`] })
      outputs.push(textStates(`hidden_states.${k}`))
    }
  }
  return {
    name: 'tiny_text_encoder',
    nodes,
    initializers: w.initializers,
    inputs: [
      { name: 'input_ids', type: options.inputIds, shape: ['batch_size', 'sequence_length'] },
    ],
    outputs,
  }
}

/** Options of {@link tinyUnet}. */
export interface TinyUnetOptions {
  timestep: TinyTimestep
  /** LCM's `timestep_cond` input. */
  timestepCond: boolean
  /** Width of `encoder_hidden_states`. @defaultValue TINY_DIMS.hidden */
  textHidden?: number
  /** SDXL's added conditioning: `text_embeds` [B, textEmbeds] and `time_ids` [B, 6]. */
  textEmbeds?: number
  /** Inner channels. @defaultValue TINY_DIMS.unetChannels */
  channels?: number
  /**
   * Extra 3x3 conv + Tanh blocks at full resolution: each costs 2 * 9 * channels^2
   * FLOPs per latent pixel, so a benchmark UNet can take real time. @defaultValue 0
   */
  blocks?: number
}

/**
 * The UNet: `sample`, `timestep`, `encoder_hidden_states` (and optionally
 * `timestep_cond`, or SDXL's `text_embeds` and `time_ids`) -> `out_sample`.
 */
export function tinyUnet(seed: number, options: TinyUnetOptions): GraphSpec {
  const { latentChannels: lc, timeFeatures: f } = TINY_DIMS
  const c = options.channels ?? TINY_DIMS.unetChannels
  const d = options.textHidden ?? TINY_DIMS.hidden
  const { timestep } = options
  const w = new WeightMaker(seed)
  // Sinusoid frequencies spanning the 0-1000 timestep range.
  const freqs = Float32Array.from({ length: f }, (_, k) => Math.exp((-Math.log(1000) * k) / f))
  const nodes: NodeSpec[] = []
  const timeInput = timestep === 'int64' ? 'timestep_f' : 'timestep'
  if (timestep === 'int64') {
    nodes.push({
      op: 'Cast',
      inputs: ['timestep'],
      outputs: ['timestep_f'],
      attributes: { to: { i: 1 } },
    })
  }
  nodes.push(
    // [B] or rank-0 -> [B, 1] or [1, 1]; a [1, C] embedding then broadcasts over the batch.
    { op: 'Reshape', inputs: [timeInput, w.int64('shape_col', [-1, 1])], outputs: ['t_col'] },
    { op: 'Mul', inputs: ['t_col', w.floats('time_freqs', [1, f], freqs)], outputs: ['t_angles'] },
    { op: 'Sin', inputs: ['t_angles'], outputs: ['t_sin'] },
    {
      op: 'MatMul',
      inputs: ['t_sin', w.normal('time_proj', [f, c], 1 / Math.sqrt(f))],
      outputs: ['t_emb'],
    },
    {
      op: 'ReduceMean',
      inputs: ['encoder_hidden_states'],
      outputs: ['text_pooled'],
      attributes: { axes: { ints: [1] }, keepdims: { i: 0 } },
    },
    {
      op: 'MatMul',
      inputs: ['text_pooled', w.normal('text_proj', [d, c], 1 / Math.sqrt(d))],
      outputs: ['x_emb'],
    },
    { op: 'Add', inputs: ['t_emb', 'x_emb'], outputs: ['emb_tx'] },
  )
  let embedding = 'emb_tx'
  /** Adds `input` [B, width] * W (times `scale`) to the embedding. */
  const addCondition = (input: string, width: number, scale: number) => {
    nodes.push(
      {
        op: 'MatMul',
        inputs: [input, w.normal(`${input}_proj`, [width, c], scale / Math.sqrt(width))],
        outputs: [`${input}_emb`],
      },
      { op: 'Add', inputs: [embedding, `${input}_emb`], outputs: [`emb_${input}`] },
    )
    embedding = `emb_${input}`
  }
  if (options.timestepCond) addCondition('timestep_cond', TINY_DIMS.timestepCond, 1)
  if (options.textEmbeds) {
    addCondition('text_embeds', options.textEmbeds, 1)
    // time_ids are pixel sizes (hundreds): small weights keep Tanh out of saturation.
    addCondition('time_ids', TINY_DIMS.timeIds, 1 / 512)
  }
  const conv = (input: string, weight: string, bias: string, output: string): NodeSpec => ({
    op: 'Conv',
    inputs: [input, weight, bias],
    outputs: [output],
    attributes: { pads: { ints: [1, 1, 1, 1] }, kernel_shape: { ints: [3, 3] } },
  })
  nodes.push(
    { op: 'Reshape', inputs: [embedding, w.int64('shape_emb', [-1, c, 1, 1])], outputs: ['emb4'] },
    conv(
      'sample',
      w.normal('conv_in.weight', [c, lc, 3, 3], 1 / Math.sqrt(lc * 9)),
      w.normal('conv_in.bias', [c], 0.1),
      'h1',
    ),
    { op: 'Add', inputs: ['h1', 'emb4'], outputs: ['h2'] },
    { op: 'Tanh', inputs: ['h2'], outputs: ['h3'] },
  )
  let features = 'h3'
  for (let b = 0; b < (options.blocks ?? 0); b++) {
    const std = 1 / Math.sqrt(c * 9)
    nodes.push(
      conv(
        features,
        w.normal(`block${b}.weight`, [c, c, 3, 3], std),
        w.normal(`block${b}.bias`, [c], 0.1),
        `block${b}_pre`,
      ),
      { op: 'Tanh', inputs: [`block${b}_pre`], outputs: [`block${b}`] },
    )
    features = `block${b}`
  }
  nodes.push(
    conv(
      features,
      w.normal('conv_out.weight', [lc, c, 3, 3], 0.5 / Math.sqrt(c * 9)),
      w.normal('conv_out.bias', [lc], 0.1),
      'residual',
    ),
    { op: 'Add', inputs: ['sample', 'residual'], outputs: ['out_sample'] },
  )
  const latent = (name: string): ValueSpec => ({
    name,
    type: 'float32',
    shape: ['batch_size', lc, 'height', 'width'],
  })
  const inputs: ValueSpec[] = [
    latent('sample'),
    timestep === 'scalar'
      ? { name: 'timestep', type: 'float32', shape: [] }
      : {
          name: 'timestep',
          type: timestep === 'int64' ? 'int64' : 'float32',
          shape: ['batch_size'],
        },
    { name: 'encoder_hidden_states', type: 'float32', shape: ['batch_size', 'sequence_length', d] },
  ]
  if (options.timestepCond) {
    inputs.push({
      name: 'timestep_cond',
      type: 'float32',
      shape: ['batch_size', TINY_DIMS.timestepCond],
    })
  }
  if (options.textEmbeds) {
    inputs.push(
      { name: 'text_embeds', type: 'float32', shape: ['batch_size', options.textEmbeds] },
      { name: 'time_ids', type: 'float32', shape: ['batch_size', TINY_DIMS.timeIds] },
    )
  }
  return {
    name: 'tiny_unet',
    nodes,
    initializers: w.initializers,
    inputs,
    outputs: [latent('out_sample')],
  }
}

/** The VAE decoder: `latent_sample` [B, 4, h, w] -> `sample` [B, 3, 8h, 8w] in (-1, 1). */
export function tinyVaeDecoder(seed: number): GraphSpec {
  const { latentChannels: lc, vaeScale: s } = TINY_DIMS
  const w = new WeightMaker(seed)
  // Latents arrive divided by 0.18215 (about 5x); small weights keep Tanh out of saturation.
  const std = 0.15 / Math.sqrt(lc)
  const nodes: NodeSpec[] = [
    {
      op: 'Conv',
      inputs: [
        'latent_sample',
        w.normal('conv.weight', [3, lc, 1, 1], std),
        w.normal('conv.bias', [3], 0.2),
      ],
      outputs: ['features'],
      attributes: { kernel_shape: { ints: [1, 1] } },
    },
    // Bilinear x8 upsampling: smooth colour fields rather than 8x8 blocks.
    {
      op: 'Resize',
      inputs: ['features', '', w.floats('scales', [4], Float32Array.from([1, 1, s, s]))],
      outputs: ['pixels'],
      attributes: { mode: { s: 'linear' } },
    },
    { op: 'Tanh', inputs: ['pixels'], outputs: ['sample'] },
  ]
  return {
    name: 'tiny_vae_decoder',
    nodes,
    initializers: w.initializers,
    inputs: [
      {
        name: 'latent_sample',
        type: 'float32',
        shape: ['batch_size', lc, 'height_latent', 'width_latent'],
      },
    ],
    outputs: [{ name: 'sample', type: 'float32', shape: ['batch_size', 3, 'height', 'width'] }],
  }
}
