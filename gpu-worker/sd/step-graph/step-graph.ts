/**
 * @module
 * The step graph: classifier-free guidance, a linear scheduler step (Euler,
 * DDIM with eta 0) and the next UNet input's scaling as one tiny ONNX model, so
 * that on a GPU provider the latents and the UNet's output stay on the device
 * between steps. Latents and arithmetic are float32 (as on the JS path); an fp16
 * UNet's output and input are converted by Casts inside the graph.
 *
 * Inputs: `model_output` [B, C, H, W] (B = 2 guided: unconditional then
 * conditional; B = 1 unguided, where both halves are the same row so guidance
 * is a no-op), `latents` [1, C, H, W] float32 and rank-0 float32 scalars
 * `guidance_scale`, `sample_factor`, `output_factor`, `input_scale`.
 * Outputs: `next_latents` [1, C, H, W] float32 and `next_sample` [B, C, H, W]
 * (`input_scale * next_latents`, repeated B times, in the UNet's input type).
 */
import { ELEM_TYPE, type ElemType, type GraphSpec, type NodeSpec } from '../onnx/onnx-model.ts'

/** Element types of the UNet's ports the step graph connects to. */
export interface StepGraphTypes {
  /** The UNet's `out_sample` type. */
  output: Extract<ElemType, 'float32' | 'float16'>
  /** The UNet's `sample` type. */
  sample: Extract<ElemType, 'float32' | 'float16'>
}

/** The step graph's scalar inputs, fed each step. */
export const STEP_SCALARS = [
  'guidance_scale',
  'sample_factor',
  'output_factor',
  'input_scale',
] as const

/** Names of the step graph's inputs and outputs. */
export const STEP_PORTS = {
  modelOutput: 'model_output',
  latents: 'latents',
  nextLatents: 'next_latents',
  nextSample: 'next_sample',
} as const

const INT64_MAX = 2n ** 63n - 1n

/**
 * Builds the step graph for a UNet's port types.
 * @example
 * const { model } = encodeModel(stepGraph({ output: 'float16', sample: 'float16' }))
 */
export function stepGraph(types: StepGraphTypes): GraphSpec {
  const p = STEP_PORTS
  const cast = (input: string, output: string, to: number): NodeSpec => ({
    op: 'Cast',
    inputs: [input],
    outputs: [output],
    attributes: { to: { i: to } },
  })
  const prediction = types.output === 'float16' ? 'prediction' : p.modelOutput
  const scaledOut = types.sample === 'float16' ? 'scaled_batch' : p.nextSample
  const nodes: NodeSpec[] = [
    ...(types.output === 'float16' ? [cast(p.modelOutput, prediction, ELEM_TYPE.float32)] : []),
    // Row 0 is unconditional, the last row conditional (the same row when unguided).
    { op: 'Slice', inputs: [prediction, 'zero', 'one', 'zero'], outputs: ['uncond'] },
    { op: 'Slice', inputs: [prediction, 'minus_one', 'int64_max', 'zero'], outputs: ['cond'] },
    { op: 'Sub', inputs: ['cond', 'uncond'], outputs: ['difference'] },
    { op: 'Mul', inputs: ['difference', 'guidance_scale'], outputs: ['scaled_difference'] },
    { op: 'Add', inputs: ['uncond', 'scaled_difference'], outputs: ['guided'] },
    { op: 'Mul', inputs: [p.latents, 'sample_factor'], outputs: ['kept'] },
    { op: 'Mul', inputs: ['guided', 'output_factor'], outputs: ['moved'] },
    { op: 'Add', inputs: ['kept', 'moved'], outputs: [p.nextLatents] },
    { op: 'Mul', inputs: [p.nextLatents, 'input_scale'], outputs: ['scaled'] },
    { op: 'Shape', inputs: [p.modelOutput], outputs: ['batch_shape'] },
    { op: 'Expand', inputs: ['scaled', 'batch_shape'], outputs: [scaledOut] },
    ...(types.sample === 'float16' ? [cast(scaledOut, p.nextSample, ELEM_TYPE.float16)] : []),
  ]
  const int64 = (name: string, value: bigint) => ({
    name,
    type: 'int64' as const,
    dims: [1],
    data: BigInt64Array.of(value),
  })
  const latentShape = [1, 'channels', 'height', 'width']
  const batchShape = ['batch', 'channels', 'height', 'width']
  return {
    name: 'sd_step',
    nodes,
    initializers: [
      int64('zero', 0n),
      int64('one', 1n),
      int64('minus_one', -1n),
      int64('int64_max', INT64_MAX),
    ],
    inputs: [
      { name: p.modelOutput, type: types.output, shape: batchShape },
      { name: p.latents, type: 'float32', shape: latentShape },
      ...STEP_SCALARS.map((name) => ({ name, type: 'float32' as const, shape: [] })),
    ],
    outputs: [
      { name: p.nextLatents, type: 'float32', shape: latentShape },
      { name: p.nextSample, type: types.sample, shape: batchShape },
    ],
  }
}
