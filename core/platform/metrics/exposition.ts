/**
 * @module
 * A strict parser of the Prometheus text exposition format (0.0.4): the
 * latency report reads the services' histograms with it, and the tests use
 * it to check `/metrics` output. It throws on any line that is not valid, so
 * "parses" means "is valid"; the npm parsers we tried merge histogram label
 * sets and drop `_sum`/`_count`.
 */

/** One sample line. */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** A metric family: its HELP, TYPE and samples (histogram series included). */
export interface Family {
  name: string
  help: string
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'
  samples: Sample[]
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*'
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*'
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+-?\\d+)?$`)
const LABEL_PAIR = new RegExp(`^(${LABEL})="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"(?:,|$)`)
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created']

function parseValue(text: string, line: string): number {
  // Prometheus reads values with Go's ParseFloat: NaN and Inf in any case.
  const word = text.toLowerCase()
  if (word === '+inf' || word === 'inf') return Number.POSITIVE_INFINITY
  if (word === '-inf') return Number.NEGATIVE_INFINITY
  if (word === 'nan') return Number.NaN
  const value = Number(text)
  if (text === '' || Number.isNaN(value)) throw new Error(`bad value in: ${line}`)
  return value
}

function parseLabels(text: string | undefined, line: string): Record<string, string> {
  const labels: Record<string, string> = {}
  let rest = text ?? ''
  while (rest.length > 0) {
    const match = LABEL_PAIR.exec(rest)
    if (!match) throw new Error(`bad labels in: ${line}`)
    const [whole, key, raw] = match as unknown as [string, string, string]
    if (key in labels) throw new Error(`repeated label ${key} in: ${line}`)
    labels[key] = raw.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c))
    rest = rest.slice(whole.length)
  }
  return labels
}

function familyOf(families: Map<string, Family>, sample: string): Family | undefined {
  if (families.has(sample)) return families.get(sample)
  const suffix = SUFFIXES.find((s) => sample.endsWith(s))
  return suffix ? families.get(sample.slice(0, -suffix.length)) : undefined
}

/** Parses exposition text; throws naming the first invalid line. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>()
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line)
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string]
      if (!new RegExp(`^${NAME}$`).test(name)) throw new Error(`bad metric name: ${line}`)
      const family = families.get(name) ?? { name, help: '', type: 'untyped', samples: [] }
      if (kind === 'HELP') family.help = rest
      else if (TYPES.has(rest)) family.type = rest as Family['type']
      else throw new Error(`bad type: ${line}`)
      families.set(name, family)
      continue
    }
    if (line.startsWith('#')) continue
    const match = SAMPLE.exec(line)
    if (!match) throw new Error(`bad sample line: ${line}`)
    const [, name, labels, value] = match as unknown as [string, string, string | undefined, string]
    const family = familyOf(families, name)
    if (!family) throw new Error(`sample without HELP/TYPE: ${line}`)
    family.samples.push({ name, labels: parseLabels(labels, line), value: parseValue(value, line) })
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family)
  return families
}

/** Buckets must be cumulative and end in +Inf equal to _count, per series. */
function checkHistogram(family: Family): void {
  const series = new Map<string, Sample[]>()
  for (const sample of family.samples.filter((s) => s.name.endsWith('_bucket'))) {
    const { le, ...rest } = sample.labels
    if (le === undefined) throw new Error(`${family.name}: bucket without le`)
    const key = JSON.stringify(rest)
    series.set(key, [...(series.get(key) ?? []), sample])
  }
  for (const [key, buckets] of series) {
    const counts = buckets.map((b) => b.value)
    if (counts.some((c, i) => i > 0 && c < counts[i - 1]!)) {
      throw new Error(`${family.name}${key}: buckets not cumulative`)
    }
    const count = family.samples.find(
      (s) => s.name === `${family.name}_count` && JSON.stringify(s.labels) === key,
    )
    if (buckets.at(-1)?.labels.le !== '+Inf' || count?.value !== buckets.at(-1)?.value) {
      throw new Error(`${family.name}${key}: +Inf bucket must equal _count`)
    }
  }
}

/** The value of the one sample of `family` whose labels include `labels`. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const family = familyOf(families, name)
  return family?.samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value
}
