/**
 * @module
 * The console's benchmark chart: pure functions from `benchmarks.history` runs
 * to an SVG line chart of their totals (uncached vs cached) and its legend.
 * They build a small element tree, not DOM nodes, so this file type-checks
 * without the DOM library (the project compiles for Node) and runs in tests
 * without a browser. {@link mount} turns a tree into DOM nodes, setting text
 * as text nodes, never as markup; {@link toMarkup} writes it as escaped markup.
 * `scripts/build_console.ts` bundles this file into the served `app.<hash>.js`.
 */
import type { z } from 'zod'
import type { benchmarkRunSchema } from '../../gateway/procedures/benchmarks.ts'

/** One run as `benchmarks.history` answers it. */
export type BenchmarkRun = z.infer<typeof benchmarkRunSchema>

/** The part of a run the chart reads (a whole {@link BenchmarkRun} is one). */
export interface ChartRun {
  ranAt: BenchmarkRun['ranAt']
  speedup: BenchmarkRun['speedup']
  uncached: Pick<BenchmarkRun['uncached'], 'totalS'>
  cached: Pick<BenchmarkRun['cached'], 'totalS'>
}

/** An element to build: an HTML or SVG tag, its attributes and its children (text is text). */
export interface ChartElement {
  ns: 'html' | 'svg'
  tag: string
  attrs: Readonly<Record<string, string>>
  children: readonly ChartNode[]
}

export type ChartNode = ChartElement | string

/** Options of {@link benchmarkChart}. */
export interface ChartOptions {
  /** Writes a run's ISO `ranAt` for people (the console's locale format). */
  formatTime: (iso: string) => string
}

/** The chart's size in SVG units and the margins around its plot. */
export const CHART = { width: 1000, height: 260, left: 56, right: 16, top: 16, bottom: 36 }

/** The lines drawn, one a series. */
export const SERIES = [
  { key: 'uncached', label: 'Uncached total', className: 'line-uncached' },
  { key: 'cached', label: 'Cached total', className: 'line-cached' },
] as const

/** What the chart shows when no run was recorded. */
export const EMPTY_TEXT = 'No benchmark runs recorded yet (benchmark_score --persist).'

export const SVG_NS = 'http://www.w3.org/2000/svg'

type NonEmpty<T> = readonly [T, ...T[]]

function element(
  ns: ChartElement['ns'],
  tag: string,
  attrs: Record<string, string | number>,
  ...children: ChartNode[]
): ChartElement {
  const strings = Object.fromEntries(
    Object.entries(attrs).map(([name, value]) => [name, String(value)]),
  )
  return { ns, tag, attrs: strings, children }
}

const svg = (tag: string, attrs: Record<string, string | number>, ...children: ChartNode[]) =>
  element('svg', tag, attrs, ...children)
const html = (tag: string, attrs: Record<string, string | number>, ...children: ChartNode[]) =>
  element('html', tag, attrs, ...children)

const seconds = (value: number) => `${value.toFixed(3)} s`

/** A "nice" upper bound for the y axis (1, 2 or 5 times a power of ten). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  return [1, 2, 5].map((m) => m * power).find((m) => m >= value) ?? 10 * power
}

/** The SVG line chart of `runs`, oldest to newest. */
export function lineChart(runs: NonEmpty<ChartRun>, { formatTime }: ChartOptions): ChartElement {
  const { width, height, left, right, top, bottom } = CHART
  const plotW = width - left - right
  const plotH = height - top - bottom
  const times = runs.map((run) => Date.parse(run.ranAt))
  const t0 = Math.min(...times)
  const span = Math.max(...times) - t0 || 1
  const yMax = niceMax(Math.max(...runs.flatMap((run) => [run.uncached.totalS, run.cached.totalS])))
  // One run sits in the middle rather than on the axis.
  const x = (t: number) => left + (runs.length === 1 ? plotW / 2 : ((t - t0) / span) * plotW)
  const y = (v: number) => top + plotH - (v / yMax) * plotH
  const first = runs[0]
  const last = runs.at(-1) ?? first

  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    svg(
      'g',
      { class: 'tick' },
      svg('line', { x1: left, x2: width - right, y1: y(f * yMax), y2: y(f * yMax) }),
      svg(
        'text',
        { x: left - 8, y: y(f * yMax) + 4, 'text-anchor': 'end' },
        `${+(f * yMax).toFixed(3)} s`,
      ),
    ),
  )
  const xLabels = [
    svg('text', { x: left, y: height - 10, 'text-anchor': 'start' }, formatTime(first.ranAt)),
  ]
  if (runs.length > 1) {
    xLabels.push(
      svg(
        'text',
        { x: width - right, y: height - 10, 'text-anchor': 'end' },
        formatTime(last.ranAt),
      ),
    )
  }
  const lines = SERIES.map(({ key, label, className }) => {
    const points = runs.map((run, i) => ({
      run,
      px: x(times[i] ?? t0).toFixed(1),
      py: y(run[key].totalS).toFixed(1),
    }))
    return svg(
      'g',
      { class: `series ${className}`, 'data-series': key },
      svg('polyline', { points: points.map(({ px, py }) => `${px},${py}`).join(' ') }),
      ...points.map(({ run, px, py }) =>
        svg(
          'circle',
          { cx: px, cy: py, r: 3.5 },
          svg('title', {}, `${label}: ${seconds(run[key].totalS)}, ${formatTime(run.ranAt)}`),
        ),
      ),
    )
  })
  return svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc' },
    svg('title', { id: 'chart-title' }, 'Score benchmark totals over time'),
    svg(
      'desc',
      { id: 'chart-desc' },
      `${runs.length} runs; latest uncached ${seconds(last.uncached.totalS)}, cached ${seconds(last.cached.totalS)}.`,
    ),
    svg('g', { class: 'axis' }, ...grid, ...xLabels),
    ...lines,
  )
}

/** The caption under the chart: each series' latest total, the run count and the speedup. */
export function legend(runs: NonEmpty<ChartRun>): ChartElement {
  const last = runs.at(-1) ?? runs[0]
  return html(
    'figcaption',
    { class: 'legend' },
    ...SERIES.map(({ key, label, className }) =>
      html('span', { class: `key ${className}` }, `${label} (latest ${seconds(last[key].totalS)})`),
    ),
    html('span', { class: 'muted' }, `${runs.length} runs · speedup ${last.speedup.toFixed(1)}×`),
  )
}

const isNonEmpty = <T>(items: readonly T[]): items is NonEmpty<T> => items.length > 0

/**
 * What `#chart` shows for `items` as `benchmarks.history` pages them (newest
 * first): the chart, oldest to newest, and its legend; a note when there are none.
 *
 * @example
 * chart.replaceChildren(...benchmarkChart(items, { formatTime }).map((node) => mount(node, document)))
 */
export function benchmarkChart(items: readonly ChartRun[], options: ChartOptions): ChartElement[] {
  const runs = [...items].reverse()
  if (!isNonEmpty(runs)) return [html('p', { class: 'muted' }, EMPTY_TEXT)]
  return [lineChart(runs, options), legend(runs)]
}

/** The few DOM methods {@link mount} calls (`document` has them). */
export interface DocumentLike<E extends ElementLike> {
  createElement(tag: string): E
  createElementNS(namespace: string, tag: string): E
}

/** The few methods of an element {@link mount} calls. */
export interface ElementLike {
  setAttribute(name: string, value: string): void
  /** Strings become text nodes: text is never parsed as markup. */
  append(...nodes: (ElementLike | string)[]): void
}

/** Builds `node` with `doc` (in the browser: `mount(node, document)`). */
export function mount<E extends ElementLike>(node: ChartNode, doc: DocumentLike<E>): E | string {
  if (typeof node === 'string') return node
  const el = node.ns === 'svg' ? doc.createElementNS(SVG_NS, node.tag) : doc.createElement(node.tag)
  for (const [name, value] of Object.entries(node.attrs)) el.setAttribute(name, value)
  el.append(...node.children.map((child) => mount(child, doc)))
  return el
}

const escapeText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const escapeAttr = (text: string) => escapeText(text).replace(/"/g, '&quot;')

/** `node` as markup, its text and attribute values escaped (for tests and static pages). */
export function toMarkup(node: ChartNode): string {
  if (typeof node === 'string') return escapeText(node)
  const attrs = Object.entries(node.attrs)
    .map(([name, value]) => ` ${name}="${escapeAttr(value)}"`)
    .join('')
  return `<${node.tag}${attrs}>${node.children.map(toMarkup).join('')}</${node.tag}>`
}
