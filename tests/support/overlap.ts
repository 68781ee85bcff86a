/** @module How many intervals were open at once (GPU slots held, mock-ups in progress). */

/** The most intervals open at one moment; an interval ending where another starts does not overlap it. */
export function peakOverlap(intervals: readonly { start: number; end: number }[]): number {
  const edges = intervals.flatMap((i) => [
    { at: i.start, delta: 1 },
    { at: i.end, delta: -1 },
  ])
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta)
  let now = 0
  let peak = 0
  for (const e of edges) {
    now += e.delta
    peak = Math.max(peak, now)
  }
  return peak
}
