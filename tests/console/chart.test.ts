/**
 * The console's benchmark chart (`edge/console/src/chart.ts`) without a
 * browser: where the points go for known runs, the empty state, escaped text,
 * and that `mount` hands text to the DOM as text.
 */
import { describe, expect, it } from 'vitest'
import {
  type BenchmarkRun,
  benchmarkChart,
  CHART,
  type ChartElement,
  type ChartNode,
  type ElementLike,
  EMPTY_TEXT,
  mount,
  niceMax,
  SVG_NS,
  toMarkup,
} from '../../edge/console/src/chart.ts'

const timing = (totalS: number) => ({ totalS, p50Ms: 1, p95Ms: 2, p99Ms: 3 })
const run = (ranAt: string, uncached: number, cached: number, speedup = 9): BenchmarkRun => ({
  id: 1,
  ranAt,
  runs: 100,
  target: 'edge',
  runtime: 'node',
  gitCommit: null,
  speedup,
  uncached: timing(uncached),
  cached: timing(cached),
  l1: null,
})
const formatTime = (iso: string) => `at ${iso.slice(0, 10)}`

/** Every element of `tree` (depth first) that satisfies `match`. */
function findAll(tree: ChartNode, match: (el: ChartElement) => boolean): ChartElement[] {
  if (typeof tree === 'string') return []
  return [...(match(tree) ? [tree] : []), ...tree.children.flatMap((c) => findAll(c, match))]
}
const series = (tree: ChartNode, key: string) =>
  findAll(tree, (el) => el.attrs['data-series'] === key)[0]!
/** The `points` of a series' polyline. */
const points = (tree: ChartNode, key: string) =>
  findAll(series(tree, key), (el) => el.tag === 'polyline')[0]!.attrs.points
const text = (node: ChartNode): string =>
  typeof node === 'string' ? node : node.children.map(text).join('')

// As the API pages them: newest first.
const ITEMS = [
  run('2025-01-03T00:00:00.000Z', 1.6, 0.25, 6.4),
  run('2025-01-02T00:00:00.000Z', 1.75, 0.19),
  run('2025-01-01T00:00:00.000Z', 1.9, 0.21),
]

describe('benchmark chart', () => {
  it('Should place the points oldest to newest on a time axis and a nice y scale', () => {
    const [chart, legend] = benchmarkChart(ITEMS, { formatTime })
    // Plot: x from 56 to 984 (928 wide), y from 224 (0 s) up to 16 (2 s, the nice max of 1.9).
    expect(points(chart!, 'uncached')).toBe('56.0,26.4 520.0,42.0 984.0,57.6')
    expect(points(chart!, 'cached')).toBe('56.0,202.2 520.0,204.2 984.0,198.0')
    const circles = findAll(series(chart!, 'uncached'), (el) => el.tag === 'circle')
    expect(circles.map((c) => [c.attrs.cx, c.attrs.cy])).toEqual([
      ['56.0', '26.4'],
      ['520.0', '42.0'],
      ['984.0', '57.6'],
    ])
    expect(text(circles[2]!)).toBe('Uncached total: 1.600 s, at 2025-01-03')
    const labels = findAll(chart!, (el) => el.tag === 'text').map(text)
    expect(labels).toEqual([
      '0 s',
      '0.5 s',
      '1 s',
      '1.5 s',
      '2 s',
      'at 2025-01-01',
      'at 2025-01-03',
    ])
    expect(text(legend!)).toBe(
      'Uncached total (latest 1.600 s)Cached total (latest 0.250 s)3 runs · speedup 6.4×',
    )
    expect(chart!.attrs.viewBox).toBe(`0 0 ${CHART.width} ${CHART.height}`)
  })

  it('Should put a single run in the middle, with one time label', () => {
    const [chart] = benchmarkChart([run('2025-01-01T00:00:00.000Z', 0.3, 0.03)], { formatTime })
    // y: 0.3 s of a nice max of 0.5 s, 208 high from 224 down.
    expect(points(chart!, 'uncached')).toBe('520.0,99.2')
    expect(findAll(chart!, (el) => el.tag === 'text' && el.attrs.y === '250')).toHaveLength(1)
  })

  it('Should render the empty state when no run was recorded', () => {
    const nodes = benchmarkChart([], { formatTime })
    expect(nodes.map(toMarkup)).toEqual([`<p class="muted">${EMPTY_TEXT}</p>`])
  })

  it('Should escape text and attribute values in markup', () => {
    const nasty = () => '<script>alert("x")</script> & co'
    const markup = benchmarkChart(ITEMS, { formatTime: nasty }).map(toMarkup).join('')
    expect(markup).not.toContain('<script>')
    expect(markup).toContain('&lt;script&gt;alert("x")&lt;/script&gt; &amp; co')
    expect(toMarkup({ ns: 'html', tag: 'span', attrs: { title: '"><b>' }, children: [] })).toBe(
      '<span title="&quot;&gt;&lt;b&gt;"></span>',
    )
  })

  it('Should build DOM nodes with text as text, SVG in the SVG namespace', () => {
    interface Fake extends ElementLike {
      ns: string | null
      tag: string
      attrs: Record<string, string>
      children: (Fake | string)[]
    }
    const make = (ns: string | null, tag: string): Fake => {
      const el: Fake = {
        ns,
        tag,
        attrs: {},
        children: [],
        setAttribute: (name, value) => {
          el.attrs[name] = value
        },
        append: (...nodes) => el.children.push(...(nodes as (Fake | string)[])),
      }
      return el
    }
    const doc = { createElement: (tag: string) => make(null, tag), createElementNS: make }
    const [chart] = benchmarkChart(ITEMS, { formatTime: () => '<b>' })
    const svg = mount(chart!, doc) as Fake
    expect(svg.ns).toBe(SVG_NS)
    expect(svg.attrs.role).toBe('img')
    const labels = svg.children.filter((c): c is Fake => typeof c !== 'string' && c.tag === 'g')[0]!
    expect(labels.children.at(-1)).toMatchObject({ tag: 'text', children: ['<b>'] })
  })

  it('Should round the y axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.03, 0.19, 1, 1.9, 2.1, 7, 12].map(niceMax)).toEqual([
      1, 0.05, 0.2, 1, 2, 5, 10, 20,
    ])
  })
})
