/**
 * @module
 * Is the latest run of a benchmark a regression? Pure comparison logic: the
 * latest value of a figure against the median of the runs before it, where a
 * change only counts when it is larger than those runs' own spread.
 *
 * The spread is the median absolute deviation (MAD) scaled by 1.4826, a
 * robust estimate of the standard deviation that one outlier in the window
 * does not inflate; a change beyond `k` of them (3, the Hampel identifier's
 * usual cut) is a regression or an improvement. A floor of `minChangePct` of
 * the median keeps a perfectly steady history (MAD 0) from flagging a change
 * of a fraction of a percent.
 */
import type { BenchmarkDefinition, Better } from './figures.ts'

/** Options of {@link compareFigure} and {@link compareRun}. */
export interface RegressionOptions {
  /** Previous runs the baseline is taken from. @defaultValue 7 */
  window?: number
  /** Fewer previous runs than this is "insufficient history", never a failure. @defaultValue 3 */
  minHistory?: number
  /** Spreads (1.4826 × MAD) a change must exceed. @defaultValue 3 */
  k?: number
  /** Smallest change, in % of the median, that can count. @defaultValue 5 */
  minChangePct?: number
}

/** The defaults of {@link RegressionOptions}. */
export const REGRESSION_DEFAULTS: Required<RegressionOptions> = {
  window: 7,
  minHistory: 3,
  k: 3,
  minChangePct: 5,
}

/** What a comparison concluded. */
export type Verdict = 'regressed' | 'improved' | 'ok' | 'insufficient history'

/** One figure of the latest run against its baseline. */
export interface FigureComparison {
  latest: number
  /** Median of the previous runs (NaN without any). */
  median: number
  /** 1.4826 × MAD of the previous runs (NaN without any). */
  spread: number
  /** Change of latest over the median, in % (positive: the value went up). */
  changePct: number
  /** How far the value may move before it counts (NaN with insufficient history). */
  threshold: number
  /** Previous runs compared with. */
  history: number
  verdict: Verdict
}

/** A figure's comparison, labelled. */
export interface LabelledComparison extends FigureComparison {
  benchmark: string
  figure: string
  unit: string
}

/** Scales the MAD of normal data to its standard deviation. */
const MAD_TO_SIGMA = 1.4826

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Compares `latest` with `previous` (newest first; only the first `window`
 * are used). `better` says which direction is an improvement.
 */
export function compareFigure(
  latest: number,
  previous: readonly number[],
  better: Better,
  options: RegressionOptions = {},
): FigureComparison {
  const { window, minHistory, k, minChangePct } = { ...REGRESSION_DEFAULTS, ...options }
  const history = previous.slice(0, window)
  const base = median(history)
  const spread = MAD_TO_SIGMA * median(history.map((v) => Math.abs(v - base)))
  const changePct = ((latest - base) / base) * 100
  if (history.length < minHistory) {
    return {
      latest,
      median: base,
      spread,
      changePct,
      threshold: Number.NaN,
      history: history.length,
      verdict: 'insufficient history',
    }
  }
  const threshold = Math.max(k * spread, (Math.abs(base) * minChangePct) / 100)
  // Positive when the value moved the bad way.
  const worse = better === 'lower' ? latest - base : base - latest
  const verdict: Verdict = worse > threshold ? 'regressed' : -worse > threshold ? 'improved' : 'ok'
  return { latest, median: base, spread, changePct, threshold, history: history.length, verdict }
}

/** A persisted run: its columns by name (numbers, or null where a figure was not measured). */
export type RunRow = Record<string, unknown>

/**
 * Compares every figure of `latest` with the same figure of `previous` (the
 * runs before it, newest first, already of the same configuration). A figure
 * the latest run did not measure (null) is left out; runs that did not
 * measure it do not count towards its history.
 */
export function compareRun(
  definition: BenchmarkDefinition,
  latest: RunRow,
  previous: readonly RunRow[],
  options: RegressionOptions = {},
): LabelledComparison[] {
  const comparisons: LabelledComparison[] = []
  for (const { figure, column, unit, better } of definition.figures) {
    const value = numeric(latest[column])
    if (value === undefined) continue
    const history = previous.map((row) => numeric(row[column])).filter((v) => v !== undefined)
    comparisons.push({
      benchmark: definition.benchmark,
      figure,
      unit,
      ...compareFigure(value, history, better, options),
    })
  }
  return comparisons
}

/** `pg` returns double precision as numbers; anything else (null, NaN) is "not measured". */
function numeric(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}
