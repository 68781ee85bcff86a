/**
 * @module
 * The web console: plain ES2022, no framework, no bundler. It talks only to the
 * public tRPC API at /trpc with tRPC's HTTP shapes (GET `?input=` for queries,
 * POST JSON for mutations). The API key lives in this tab's sessionStorage and
 * is sent only to the procedures that need it. Everything shown comes from the
 * API; untrusted text is always set with textContent, never as markup.
 */

const KEY_STORAGE = 'mockup-console.api-key'
const SVG_NS = 'http://www.w3.org/2000/svg'
const POLL_MS = 500
const GALLERY_PAGE = 12

/** An error answer of the API, with tRPC's code (e.g. UNAUTHORIZED). */
class ApiError extends Error {
  constructor(message, code, status) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
  }
}

const $ = (id) => document.getElementById(id)
const apiKey = () => sessionStorage.getItem(KEY_STORAGE)

/**
 * Calls a procedure. Queries are GETs (cacheable, ETag-revalidated by the
 * browser); mutations POST their input as JSON. `auth` sends the key: a key
 * sent to a public query must still be valid, so it is sent only when needed.
 */
async function trpc(path, input, { mutation = false, auth = false } = {}) {
  const headers = { Accept: 'application/json' }
  if (auth) {
    const key = apiKey()
    if (!key) throw new ApiError('Enter an API key first.', 'UNAUTHORIZED', 401)
    headers.Authorization = `Bearer ${key}`
  }
  let url = `/trpc/${path}`
  const init = { headers }
  if (mutation) {
    init.method = 'POST'
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(input ?? {})
  } else if (input !== undefined) {
    url += `?input=${encodeURIComponent(JSON.stringify(input))}`
  }
  const res = await fetch(url, init)
  const body = await res.json().catch(() => null)
  if (!res.ok || !body || body.error) {
    const error = body?.error
    throw new ApiError(
      error?.message ?? `The API answered ${res.status}.`,
      error?.data?.code ?? 'HTTP_ERROR',
      res.status,
    )
  }
  return body.result.data
}

/** Creates an element: `h('p', { class: 'x' }, 'text', child)`. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) el.setAttribute(name, value)
  }
  el.append(...children)
  return el
}

/** Creates an SVG element with its attributes. */
function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag)
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value))
  el.append(...children)
  return el
}

const formatTime = (iso) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** A message for an error, with a hint when the key is the problem. */
function describe(err) {
  if (err instanceof ApiError && err.code === 'UNAUTHORIZED' && err.status === 401) {
    return apiKey() ? 'The API key was refused.' : err.message
  }
  return err instanceof Error ? err.message : String(err)
}

// --- API key -----------------------------------------------------------------

function showKeyState() {
  const has = Boolean(apiKey())
  $('key-status').textContent = has ? 'Key kept for this tab only.' : 'No key: mock-ups are locked.'
  $('forget-key').hidden = !has
  $('mockup-submit').disabled = !has
  $('gallery-refresh').disabled = !has
}

function setupKey() {
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const value = $('api-key').value.trim()
    if (!value) return
    sessionStorage.setItem(KEY_STORAGE, value)
    // The field is cleared so the secret is not left in the page.
    $('api-key').value = ''
    showKeyState()
    loadGallery()
  })
  $('forget-key').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_STORAGE)
    showKeyState()
    $('gallery').replaceChildren()
    $('gallery-more').hidden = true
    $('gallery-status').textContent = 'Enter an API key to see mock-ups.'
  })
  showKeyState()
}

// --- score -------------------------------------------------------------------

const COMPONENTS = ['momentum', 'volume', 'diversity', 'recency']

function renderScore(score) {
  const parts = COMPONENTS.map((name) => {
    const value = score.components[name]
    return h(
      'li',
      {},
      h('span', { class: 'part-name' }, name),
      h('meter', { min: '0', max: '1', value: String(value), 'aria-label': name }),
      h('span', { class: 'part-value' }, value.toFixed(2)),
    )
  })
  $('score-result').replaceChildren(
    h(
      'div',
      { class: 'score-head' },
      h('span', { class: 'score-value', 'data-score': String(score.score) }, String(score.score)),
      h(
        'span',
        { class: 'score-label' },
        h('strong', {}, score.topic),
        h('br'),
        `${score.product ?? 'any product'} · computed ${formatTime(score.computedAt)}`,
      ),
    ),
    h('ul', { class: 'parts' }, ...parts),
  )
}

function setupScore() {
  $('score-form').addEventListener('submit', async (event) => {
    event.preventDefault()
    const topic = $('score-topic').value
    const product = $('score-product').value || undefined
    $('score-result').replaceChildren(h('p', { class: 'muted' }, 'Scoring…'))
    try {
      renderScore(await trpc('score.get', { topic, product }))
    } catch (err) {
      $('score-result').replaceChildren(h('p', { class: 'error' }, describe(err)))
    }
  })
}

// --- mock-ups ----------------------------------------------------------------

const STATUS_TEXT = {
  queued: 'Queued: waiting for a GPU worker…',
  running: 'Generating',
  completed: 'Done',
  failed: 'Failed',
}

function showJob(mockup) {
  const text = STATUS_TEXT[mockup.status] ?? mockup.status
  const status = $('mockup-status')
  status.dataset.status = mockup.status
  status.textContent =
    mockup.status === 'running' ? `${text}: ${Math.round(mockup.progress)}%` : text
  $('mockup-progress').value = mockup.status === 'completed' ? 100 : (mockup.progress ?? 0)
  if (mockup.status === 'failed' && mockup.error) status.textContent += `: ${mockup.error}`
}

/** A thumbnail of a finished mock-up; image URLs are the edge's public image route. */
function mockupImage(mockup, className) {
  return h('img', {
    class: className,
    src: mockup.images.webp,
    alt: `${mockup.product} mock-up: ${mockup.prompt}`,
    width: '256',
    height: '256',
    loading: 'lazy',
    decoding: 'async',
  })
}

async function followJob(id) {
  for (;;) {
    const mockup = await trpc('mockups.get', { id }, { auth: true })
    showJob(mockup)
    if (mockup.status === 'completed') {
      $('mockup-result').replaceChildren(
        mockupImage(mockup, 'result-image'),
        h(
          'figcaption',
          {},
          `${mockup.product} · seed ${mockup.seed} · ${mockup.steps} steps` +
            (mockup.timings?.total ? ` · ${(mockup.timings.total / 1000).toFixed(1)} s` : ''),
        ),
      )
      return
    }
    if (mockup.status === 'failed') return
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

function setupCreate() {
  $('mockup-form').addEventListener('submit', async (event) => {
    event.preventDefault()
    const button = $('mockup-submit')
    const steps = Number.parseInt($('mockup-steps').value, 10)
    const input = {
      prompt: $('mockup-prompt').value.trim(),
      product: $('mockup-product').value,
      ...(Number.isInteger(steps) ? { steps } : {}),
    }
    button.disabled = true
    $('mockup-job').hidden = false
    $('mockup-result').replaceChildren()
    $('mockup-progress').value = 0
    $('mockup-status').dataset.status = 'submitting'
    $('mockup-status').textContent = 'Submitting…'
    try {
      const accepted = await trpc('mockups.create', input, { mutation: true, auth: true })
      showJob({ ...accepted, progress: 0 })
      await followJob(accepted.id)
      await loadGallery()
    } catch (err) {
      $('mockup-status').dataset.status = 'error'
      $('mockup-status').textContent = describe(err)
    } finally {
      button.disabled = !apiKey()
    }
  })
}

// --- gallery -----------------------------------------------------------------

let galleryCursor = null

function galleryItem(mockup) {
  const visual =
    mockup.status === 'completed' && mockup.images
      ? mockupImage(mockup, 'thumb')
      : h('div', { class: `thumb placeholder ${mockup.status}` }, STATUS_TEXT[mockup.status] ?? '')
  return h(
    'li',
    { 'data-id': mockup.id, 'data-status': mockup.status },
    h(
      'figure',
      {},
      visual,
      h(
        'figcaption',
        {},
        h('span', { class: 'prompt' }, mockup.prompt),
        h('span', { class: 'meta' }, `${mockup.product} · ${formatTime(mockup.createdAt)}`),
      ),
    ),
  )
}

async function loadGallery({ more = false } = {}) {
  if (!apiKey()) {
    $('gallery-status').textContent = 'Enter an API key to see mock-ups.'
    return
  }
  $('gallery-status').textContent = 'Loading…'
  try {
    const input =
      more && galleryCursor
        ? { limit: GALLERY_PAGE, cursor: galleryCursor }
        : { limit: GALLERY_PAGE }
    const page = await trpc('mockups.list', input, { auth: true })
    const items = page.items.map(galleryItem)
    if (more) $('gallery').append(...items)
    else $('gallery').replaceChildren(...items)
    galleryCursor = page.nextCursor
    $('gallery-more').hidden = !page.nextCursor
    const count = $('gallery').children.length
    $('gallery-status').textContent = count ? `${count} shown, newest first.` : 'No mock-ups yet.'
  } catch (err) {
    $('gallery-status').textContent = describe(err)
  }
}

function setupGallery() {
  $('gallery-refresh').addEventListener('click', () => loadGallery())
  $('gallery-more').addEventListener('click', () => loadGallery({ more: true }))
  loadGallery()
}

// --- benchmark chart ---------------------------------------------------------

const CHART = { width: 1000, height: 260, left: 56, right: 16, top: 16, bottom: 36 }
const SERIES = [
  { key: 'uncached', label: 'Uncached total', className: 'line-uncached' },
  { key: 'cached', label: 'Cached total', className: 'line-cached' },
]

/** A "nice" upper bound for the y axis (1, 2 or 5 times a power of ten). */
function niceMax(value) {
  if (value <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= value)
}

/** The SVG line chart of runs (oldest to newest). */
function lineChart(runs) {
  const { width, height, left, right, top, bottom } = CHART
  const plotW = width - left - right
  const plotH = height - top - bottom
  const times = runs.map((run) => Date.parse(run.ranAt))
  const t0 = Math.min(...times)
  const span = Math.max(...times) - t0 || 1
  const yMax = niceMax(Math.max(...runs.flatMap((run) => [run.uncached.totalS, run.cached.totalS])))
  // One run sits in the middle rather than on the axis.
  const x = (t) => left + (runs.length === 1 ? plotW / 2 : ((t - t0) / span) * plotW)
  const y = (v) => top + plotH - (v / yMax) * plotH

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
    svg('text', { x: left, y: height - 10, 'text-anchor': 'start' }, formatTime(runs[0].ranAt)),
  ]
  if (runs.length > 1) {
    xLabels.push(
      svg(
        'text',
        { x: width - right, y: height - 10, 'text-anchor': 'end' },
        formatTime(runs.at(-1).ranAt),
      ),
    )
  }
  const lines = SERIES.map(({ key, label, className }) => {
    const points = runs.map((run, i) => [x(times[i]), y(run[key].totalS)])
    return svg(
      'g',
      { class: `series ${className}`, 'data-series': key },
      svg('polyline', {
        points: points.map((p) => p.map((n) => n.toFixed(1)).join(',')).join(' '),
      }),
      ...points.map(([px, py], i) =>
        svg(
          'circle',
          { cx: px.toFixed(1), cy: py.toFixed(1), r: 3.5 },
          svg(
            'title',
            {},
            `${label}: ${runs[i][key].totalS.toFixed(3)} s, ${formatTime(runs[i].ranAt)}`,
          ),
        ),
      ),
    )
  })
  const last = runs.at(-1)
  return svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-labelledby': 'chart-title chart-desc',
    },
    svg('title', { id: 'chart-title' }, 'Score benchmark totals over time'),
    svg(
      'desc',
      { id: 'chart-desc' },
      `${runs.length} runs; latest uncached ${last.uncached.totalS.toFixed(3)} s, cached ${last.cached.totalS.toFixed(3)} s.`,
    ),
    svg('g', { class: 'axis' }, ...grid, ...xLabels),
    ...lines,
  )
}

function legend(runs) {
  const last = runs.at(-1)
  return h(
    'figcaption',
    { class: 'legend' },
    ...SERIES.map(({ key, label, className }) =>
      h(
        'span',
        { class: `key ${className}` },
        `${label} (latest ${last[key].totalS.toFixed(3)} s)`,
      ),
    ),
    h('span', { class: 'muted' }, `${runs.length} runs · speedup ${last.speedup.toFixed(1)}×`),
  )
}

async function loadChart() {
  const chart = $('chart')
  try {
    const { items } = await trpc('benchmarks.history', { limit: 50 })
    if (items.length === 0) {
      chart.replaceChildren(
        h('p', { class: 'muted' }, 'No benchmark runs recorded yet (benchmark_score --persist).'),
      )
      return
    }
    // The API pages newest first; a time axis reads oldest to newest.
    const runs = [...items].reverse()
    chart.replaceChildren(lineChart(runs), legend(runs))
  } catch (err) {
    chart.replaceChildren(h('p', { class: 'error' }, describe(err)))
  }
}

// --- start -------------------------------------------------------------------

setupKey()
setupScore()
setupCreate()
setupGallery()
loadChart()
