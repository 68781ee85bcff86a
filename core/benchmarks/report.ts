/**
 * @module
 * The regression check as a plain-text table: one line per figure with the
 * latest value, the baseline median, the spread, the change and the verdict.
 */
import type { BenchmarkCheck } from './history.ts'
import type { LabelledComparison } from './regression.ts'

const HEADER = ['benchmark', 'figure', 'latest', 'median', 'spread', 'change', 'verdict']

function value(x: number, unit: string): string {
  if (!Number.isFinite(x)) return '-'
  // Three significant digits: a 0.0812 s pass and its 0.0021 s spread both stay readable.
  const text = Math.abs(x) >= 100 || x === 0 ? x.toFixed(0) : x.toPrecision(3)
  return unit === 'x' ? `${text}x` : `${text} ${unit}`
}

function row(c: LabelledComparison): string[] {
  const change = Number.isFinite(c.changePct)
    ? `${c.changePct >= 0 ? '+' : ''}${c.changePct.toFixed(1)}%`
    : '-'
  const verdict =
    c.verdict === 'insufficient history' ? `insufficient history (${c.history} runs)` : c.verdict
  return [
    c.benchmark,
    c.figure,
    value(c.latest, c.unit),
    value(c.median, c.unit),
    value(c.spread, c.unit),
    change,
    // Upper case so a regression stands out in a CI log.
    c.verdict === 'regressed' ? 'REGRESSED' : verdict,
  ]
}

/** The checks as an aligned table, plus a line per benchmark that had nothing to compare. */
export function formatRegressionTable(checks: readonly BenchmarkCheck[]): string {
  const rows: string[][] = []
  const notes: string[] = []
  for (const check of checks) {
    if (check.status === 'compared') rows.push(...check.comparisons.map(row))
    else notes.push(`${check.benchmark}: ${check.status}`)
  }
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i >= 2 && i <= 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(HEADER), ...rows.map(line), ...notes].join('\n')
}
