/**
 * @module
 * The web console: plain ES2022, no framework. `scripts/build_console.ts`
 * bundles it with the typed modules it imports (the benchmark chart,
 * `chart.ts`) into the one served `app.<hash>.js`. It talks only to the
 * public tRPC API at /trpc with tRPC's HTTP shapes (GET `?input=` for queries,
 * POST JSON for mutations). The API key lives in this tab's sessionStorage and
 * is sent only to the procedures that need it. Everything shown comes from the
 * API; untrusted text is always set with textContent, never as markup.
 */

import { benchmarkChart, mount } from './chart.ts'

const KEY_STORAGE = 'mockup-console.api-key'
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

async function loadChart() {
  const chart = $('chart')
  try {
    const { items } = await trpc('benchmarks.history', { limit: 50 })
    chart.replaceChildren(
      ...benchmarkChart(items, { formatTime }).map((node) => mount(node, document)),
    )
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
