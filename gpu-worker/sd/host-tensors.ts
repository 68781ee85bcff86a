/**
 * @module
 * Host-side tensor chores of the denoising loop: reading held tensors back,
 * freeing them, scalars, the timestep and latent scaling.
 */
import type { Feed, HeldTensor, Tensor } from './backend/types.ts'

/** A float tensor on the host, reading a held one back (and freeing it). */
export async function toHost(
  tensor: Tensor | HeldTensor | undefined,
  path: string,
  name: string,
): Promise<Extract<Tensor, { type: 'float32' }>> {
  if (!tensor || !('held' in tensor)) return floatOutput({ [name]: tensor! }, name, path)
  const host = await tensor.read()
  tensor.dispose()
  return floatOutput({ [name]: host }, name, path)
}

/** Frees a held tensor; plain ones need nothing. */
export function dispose(feed: Feed): void {
  if ('held' in feed) feed.dispose()
}

/** A rank-0 float32 tensor: the step graph's per-step scalars. */
export function scalar(value: number): Tensor {
  return { type: 'float32', data: Float32Array.of(value), dims: [] }
}

/** Writes the timestep into every entry; int64 exports get it rounded (Euler's are fractional). */
export function setTimestep(tensor: Tensor, t: number): void {
  if (tensor.type === 'int64') tensor.data.fill(BigInt(Math.round(t)))
  else if (tensor.type === 'float32') tensor.data.fill(t)
}

export function scaleInPlace(values: Float32Array, factor: number): void {
  if (factor === 1) return
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * factor
}

/** Writes `factor * latents` into each of the `batch` copies in `out`. */
export function scaleInto(
  latents: Float32Array,
  factor: number,
  out: Float32Array,
  batch: number,
): void {
  const n = latents.length
  for (let i = 0; i < n; i++) out[i] = latents[i]! * factor
  for (let b = 1; b < batch; b++) out.copyWithin(b * n, 0, n)
}

export function floatOutput(
  outputs: Record<string, Tensor | HeldTensor>,
  name: string,
  path: string,
): Extract<Tensor, { type: 'float32' }> {
  const tensor = outputs[name]
  if (!tensor || 'held' in tensor || tensor.type !== 'float32') {
    throw new Error(`${path}: output "${name}" is missing or not float32`)
  }
  return tensor
}
