/**
 * @module
 * A profile summary as text: the pseudo-frames, then the top functions by
 * total (inclusive) time and by self time, as tables with file positions
 * relative to the project.
 */
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type FunctionTime, type ProfileSummary, PSEUDO_FRAMES, topFunctions } from './analyze.ts'

function where(fn: FunctionTime, root: string): string {
  if (!fn.url) return '(native)'
  const path = fn.url.startsWith('file://') ? relative(root, fileURLToPath(fn.url)) : fn.url
  // V8 gives no position (line 0) for a module's top-level wrapper.
  return fn.line > 0 ? `${path}:${fn.line}:${fn.column}` : path
}

function table(title: string, rows: FunctionTime[], wallMs: number, root: string): string[] {
  const pct = (ms: number) => `${((ms / wallMs) * 100).toFixed(1)}%`.padStart(6)
  const ms = (x: number) => x.toFixed(1).padStart(9)
  return [
    title,
    `${'self ms'.padStart(9)} ${'self'.padStart(6)} ${'total ms'.padStart(9)} ${'total'.padStart(6)}  function  location`,
    ...rows.map(
      (f) =>
        `${ms(f.selfMs)} ${pct(f.selfMs)} ${ms(f.totalMs)} ${pct(f.totalMs)}  ${f.name}  ${where(f, root)}`,
    ),
  ]
}

/** The report: percentages are of the profile's wall time. */
export function formatProfileSummary(summary: ProfileSummary, root: string, n = 20): string {
  const { wallMs } = summary
  const pseudo = PSEUDO_FRAMES.map(
    (name) =>
      `${name} ${summary.pseudo[name].toFixed(1)} ms (${((summary.pseudo[name] / wallMs) * 100).toFixed(1)}%)`,
  ).join(', ')
  return [
    `profiled ${wallMs.toFixed(1)} ms; outside JavaScript functions: ${pseudo}`,
    '',
    ...table(
      `Top ${n} functions by total (inclusive) time`,
      topFunctions(summary, 'total', n),
      wallMs,
      root,
    ),
    '',
    ...table(`Top ${n} functions by self time`, topFunctions(summary, 'self', n), wallMs, root),
  ].join('\n')
}
