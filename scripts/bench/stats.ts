/** @module Small statistics for benchmark reports. */

/** The q-quantile (0..1) of `values` by linear interpolation; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const pos = (sorted.length - 1) * q
  const lower = Math.floor(pos)
  const upper = Math.ceil(pos)
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (pos - lower)
}

/** The median of `values`. */
export const median = (values: readonly number[]): number => quantile(values, 0.5)
