/**
 * @module
 * SDXL's conditioning, as diffusers builds it: each encoder's penultimate
 * hidden states concatenated along the feature axis, the second encoder's
 * pooled `text_embeds`, and `time_ids` = original size, crop corner, target
 * size. An empty negative prompt becomes zeros when the model asks for it
 * (`force_zeros_for_empty_prompt`).
 */

/**
 * Concatenates per-token features: `parts[k]` is [B, S, D_k]; the result is [B, S, sum D_k].
 * @example
 * concatFeatures([a, b], [768, 1280], 2 * 77) // [2, 77, 2048] as a flat array
 */
export function concatFeatures(
  parts: readonly Float32Array[],
  widths: readonly number[],
  rows: number,
): Float32Array {
  const total = widths.reduce((a, b) => a + b, 0)
  const out = new Float32Array(rows * total)
  for (let r = 0; r < rows; r++) {
    let at = r * total
    for (let k = 0; k < parts.length; k++) {
      const w = widths[k]!
      out.set(parts[k]!.subarray(r * w, (r + 1) * w), at)
      at += w
    }
  }
  return out
}

/** [zeros, cond]: the unconditional half of a guided batch for an empty negative prompt. */
export function withZeroNegative(cond: Float32Array): Float32Array {
  const out = new Float32Array(cond.length * 2)
  out.set(cond, cond.length)
  return out
}

/** SDXL `add_time_ids` for one image: (height, width, top, left, height, width). */
export function sdxlTimeIds(width: number, height: number, dim: number): Float32Array {
  const ids = Float32Array.of(height, width, 0, 0, height, width)
  if (dim !== ids.length) throw new Error(`time_ids has width ${dim}; SDXL uses ${ids.length}`)
  return ids
}

/** `values` repeated `batch` times. */
export function repeatBatch(values: Float32Array, batch: number): Float32Array {
  const out = new Float32Array(values.length * batch)
  for (let b = 0; b < batch; b++) out.set(values, b * values.length)
  return out
}
