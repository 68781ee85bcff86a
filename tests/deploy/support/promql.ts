/**
 * @module
 * The metric names a PromQL expression reads, and the names DESIGN.md's
 * "Metric names" table allows. Enough of PromQL's lexical structure to tell a
 * metric from a function, keyword, label or duration; not a parser.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
])

/** Metric names in `expr` (selectors, not functions, labels or keywords). */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // strings
    .replace(/#.*$/gm, '') // comments
    .replace(/\{[^}]*\}/g, '{}') // label matchers
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\[[^\]]*\]/g, '[]') // ranges and subqueries
  const names = new Set<string>()
  const token =
    /(\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|s|m|h|d|w|y)?)|([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/gi
  for (const [, number, ident, call] of stripped.matchAll(token)) {
    if (number || !ident || call) continue // a number/duration, or a function or aggregation
    if (KEYWORDS.has(ident.toLowerCase())) continue
    names.add(ident)
  }
  return [...names]
}

/** The table of DESIGN.md "Metric names", read. */
export interface DesignMetrics {
  /** Every name the table lists. */
  names: Set<string>
  /** The histograms among them (their _bucket, _sum and _count series exist). */
  histograms: Set<string>
  /** Whether the table admits prom-client's default metrics. */
  promClientDefaults: boolean
}

/** Reads the "Metric names" table out of DESIGN.md's text. */
export function designMetrics(markdown: string): DesignMetrics {
  const start = markdown.indexOf('## Metric names')
  if (start < 0) throw new Error('DESIGN.md has no "## Metric names" section')
  const end = markdown.indexOf('\n## ', start + 1)
  const section = markdown.slice(start, end < 0 ? undefined : end)
  const result: DesignMetrics = {
    names: new Set(),
    histograms: new Set(),
    promClientDefaults: false,
  }
  for (const line of section.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line) || /^\|\s*metric\s*\|/.test(line)) continue
    const [cell = '', typeCell = ''] = line.split('|').slice(1)
    const names = [...cell.matchAll(/`([A-Za-z_:][A-Za-z0-9_:]*)(?:\{[^}]*\})?`/g)].map(
      (m) => m[1]!,
    )
    const types = typeCell.split(',').map((t) => t.trim())
    names.forEach((name, i) => {
      result.names.add(name)
      const type = types.length === names.length ? types[i] : types[0]
      if (type === 'histogram') result.histograms.add(name)
    })
    if (/prom-client defaults/.test(cell)) result.promClientDefaults = true
  }
  return result
}

/** Series names a histogram or summary exposes. */
export const histogramSeries = (name: string): string[] => [
  name,
  `${name}_bucket`,
  `${name}_sum`,
  `${name}_count`,
]

/**
 * DESIGN.md's table, from `DESIGN_MD` or the team's shared docs beside the
 * repository; the reason instead when it is not there.
 */
export function readDesignMetrics(repoRoot: string): DesignMetrics | { skip: string } {
  const path = process.env.DESIGN_MD ?? join(repoRoot, '../shared/docs/DESIGN.md')
  try {
    return designMetrics(readFileSync(path, 'utf8'))
  } catch (err) {
    return { skip: `cannot read DESIGN.md's metric table at ${path}: ${(err as Error).message}` }
  }
}
