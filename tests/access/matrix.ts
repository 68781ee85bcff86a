/**
 * @module
 * The access matrix (issue #22): for every route of core and the edge and
 * every tRPC procedure, the status each kind of caller gets. `matrix.test.ts`
 * enumerates the routes from the apps and the router and requires exactly one
 * row here for each, so a route added without a row fails; docs/reliability.md
 * holds the same table, rendered by {@link renderMatrix}.
 *
 * The callers: no key; tenant A (`tester`, owner of the resources asked for);
 * tenant B (`rival`, asking for A's); the admin (`ops`); and a caller with no
 * key sending forwarded headers from an untrusted hop (`X-Forwarded-For`,
 * `Forwarded`, `X-Real-IP` and the edge's own identity headers naming the
 * admin key): with `TRUST_PROXY` unset they must change nothing.
 */
import { CONSOLE_ASSETS } from '../../edge/console/assets.generated.ts'
import { EDGE_CLIENT_ADDRESS, EDGE_CLIENT_KEY_NAME } from '../../edge/identity/index.ts'
import { ADMIN_SECRET, RIVAL_SECRET, SECRET } from './stack.ts'

/** The callers, in table order. */
export const COLUMNS = ['none', 'tenantA', 'tenantB', 'admin', 'spoofed'] as const
/** One caller. */
export type Column = (typeof COLUMNS)[number]

const HEADINGS: Record<Column, string> = {
  none: 'no key',
  tenantA: 'tenant A (owner)',
  tenantB: 'tenant B (A’s ids)',
  admin: 'admin',
  spoofed: 'spoofed forwarded headers, no key',
}

/** The headers that make a request come from `column`'s caller. */
export const CALLER_HEADERS: Record<Column, Record<string, string>> = {
  none: {},
  tenantA: { Authorization: `Bearer ${SECRET}` },
  tenantB: { Authorization: `Bearer ${RIVAL_SECRET}` },
  admin: { Authorization: `Bearer ${ADMIN_SECRET}` },
  spoofed: {
    'X-Forwarded-For': '10.9.8.7, 127.0.0.1',
    Forwarded: 'for=10.9.8.7;proto=https',
    'X-Real-IP': '10.9.8.7',
    [EDGE_CLIENT_KEY_NAME]: 'ops',
    [EDGE_CLIENT_ADDRESS]: '10.9.8.7',
  },
}

/** A status, or `reached`: past auth to the handler (not 401/403, no 5xx), whatever it answers. */
export type Expected = number | 'reached'

/** What the routes are asked for: tenant A's resources. */
export interface MatrixIds {
  mockupId: string
  jobId: string
  designId: number
}

/** A request, relative to its app. */
export interface MatrixRequest {
  path: string
  body?: unknown
}

/** One row: a route (or a group of routes) and what each caller gets. */
export interface MatrixRow {
  app: 'core' | 'edge' | 'trpc'
  /** `METHOD /pattern` as the app lists it, `ANY /base/**` (base and all below), or a procedure path. */
  route: string
  /** Why, in the rendered table. */
  note: string
  /** The request for a concrete route (`pattern` is the enumerated one, for groups). */
  request: (ids: MatrixIds, pattern: string) => MatrixRequest
  expect: Record<Column, Expected>
  /** Checks of a successful answer's body beyond its status, per caller. */
  check?: (column: Column, body: unknown, ids: MatrixIds) => void
}

const all = (status: Expected): Record<Column, Expected> => ({
  none: status,
  tenantA: status,
  tenantB: status,
  admin: status,
  spoofed: status,
})
/** Any key; each tenant sees only its own, the admin all. */
const keyed = (ok: number, other = ok): Record<Column, Expected> => ({
  none: 401,
  tenantA: ok,
  tenantB: other,
  admin: ok,
  spoofed: 401,
})

const PERIOD = { from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }
const query = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`
/** A valid signal (tenant A's job is one of these). */
export const SIGNAL = {
  topic: 'matrix owls',
  source: 'etsy',
  metric: 'saves',
  value: 1,
  observedAt: new Date().toISOString(),
}
const MOCKUP = { prompt: 'matrix owl', product: 'mug', steps: 2, width: 64, height: 64 }
/** Fills a bull-board pattern's parameters with names no queue or job has. */
const concreteAdmin = (pattern: string) =>
  pattern
    .replace(':queueStatus', 'failed')
    .replace(/:[A-Za-z]+/g, 'no-such-thing')
    .replace('*', 'x')

/** The ids a list answer holds. */
const listedIds = (body: unknown): string[] =>
  ((body as { items?: { id: string }[] }).items ?? []).map((item) => item.id)
const listsA = (column: Column, ids: string[], mockupId: string) => {
  if (column === 'tenantB' && ids.includes(mockupId)) {
    throw new Error('tenant B listed tenant A’s mock-up')
  }
  if ((column === 'tenantA' || column === 'admin') && !ids.includes(mockupId)) {
    throw new Error(`${column} did not list tenant A’s mock-up`)
  }
}

/** Every row. */
export const MATRIX: readonly MatrixRow[] = [
  // Core.
  {
    app: 'core',
    route: 'GET /healthz',
    note: 'probe',
    request: () => ({ path: '/healthz' }),
    expect: all(200),
  },
  {
    app: 'core',
    route: 'GET /v1/schema-version',
    note: 'public, read-only',
    request: () => ({ path: '/v1/schema-version' }),
    expect: all(200),
  },
  {
    app: 'core',
    route: 'GET /v1/whoami',
    note: 'any key',
    request: () => ({ path: '/v1/whoami' }),
    expect: keyed(200),
  },
  {
    app: 'core',
    route: 'POST /signals',
    note: 'queued as the caller’s tenant',
    request: () => ({ path: '/signals', body: { signals: [SIGNAL] } }),
    expect: keyed(202),
  },
  {
    app: 'core',
    route: 'GET /signals/jobs/:id',
    note: 'the poster’s tenant only',
    request: (ids) => ({ path: `/signals/jobs/${ids.jobId}` }),
    expect: keyed(200, 404),
  },
  {
    app: 'core',
    route: 'GET /signals/rejected',
    note: 'lists the caller’s tenant’s',
    request: () => ({ path: '/signals/rejected' }),
    expect: keyed(200),
  },
  {
    app: 'core',
    route: 'POST /mockups',
    note: 'owned by the caller’s tenant',
    request: () => ({ path: '/mockups', body: MOCKUP }),
    expect: keyed(202),
  },
  {
    app: 'core',
    route: 'GET /mockups',
    note: 'lists the caller’s tenant’s (admin: all)',
    request: () => ({ path: '/mockups?limit=100' }),
    expect: keyed(200),
    check: (column, body, ids) => listsA(column, listedIds(body), ids.mockupId),
  },
  {
    app: 'core',
    route: 'GET /mockups/:id',
    note: 'another tenant’s id is a 404',
    request: (ids) => ({ path: `/mockups/${ids.mockupId}` }),
    expect: keyed(200, 404),
  },
  {
    app: 'core',
    route: 'GET /mockups/:id/:file{image\\.(?:png|webp)}',
    note: 'public, CDN-cached: the random id is the capability (this row has no image: 404)',
    request: (ids) => ({ path: `/mockups/${ids.mockupId}/image.png` }),
    expect: all(404),
  },
  {
    app: 'core',
    route: 'POST /experiments/:id/metrics',
    note: 'any key (platform experiments, not tenant data)',
    request: () => ({
      path: '/experiments/matrix/metrics',
      body: { metrics: [{ name: 'latency_ms', value: 1, tags: { variant: 'a' } }] },
    }),
    expect: keyed(201),
  },
  {
    app: 'core',
    route: 'GET /experiments/:id/summary',
    note: 'any key (platform experiments, not tenant data)',
    request: () => ({ path: '/experiments/matrix/summary?name=latency_ms' }),
    expect: keyed(200),
  },
  {
    app: 'core',
    route: 'GET /analytics/designs/:id/summary',
    note: 'public storefront analytics',
    request: (ids) => ({ path: `/analytics/designs/${ids.designId}/summary${query(PERIOD)}` }),
    expect: all(200),
  },
  {
    app: 'core',
    route: 'GET /analytics/designs/:id/timeseries',
    note: 'public storefront analytics',
    request: (ids) => ({ path: `/analytics/designs/${ids.designId}/timeseries${query(PERIOD)}` }),
    expect: all(200),
  },
  {
    app: 'core',
    route: 'GET /analytics/top',
    note: 'public storefront analytics',
    request: () => ({ path: `/analytics/top${query(PERIOD)}` }),
    expect: all(200),
  },
  {
    app: 'core',
    route: 'GET /analytics/latency',
    note: 'public latency report',
    request: () => ({ path: '/analytics/latency' }),
    expect: all(200),
  },
  {
    app: 'core',
    route: 'ANY /admin/queues/**',
    note: 'bull-board, every route: admin keys only; writes need a same-site Origin or X-Requested-By',
    request: (_ids, pattern) => ({ path: concreteAdmin(pattern), body: {} }),
    expect: { none: 401, tenantA: 403, tenantB: 403, admin: 'reached', spoofed: 401 },
  },
  // The edge's own routes (the tRPC gateway's are the procedures below).
  {
    app: 'edge',
    route: 'GET /healthz',
    note: 'probe',
    request: () => ({ path: '/healthz' }),
    expect: all(200),
  },
  {
    app: 'edge',
    route: 'GET /readyz',
    note: 'probe',
    request: () => ({ path: '/readyz' }),
    expect: all(200),
  },
  {
    app: 'edge',
    route: 'GET /score',
    note: 'public',
    request: () => ({ path: '/score?topic=fuzz%20owls' }),
    expect: all(200),
  },
  {
    app: 'edge',
    route: 'GET /',
    note: 'the console page',
    request: () => ({ path: '/' }),
    expect: all(200),
  },
  {
    app: 'edge',
    route: 'GET /assets/:name',
    note: 'the console’s assets',
    request: () => ({ path: `/assets/${CONSOLE_ASSETS[0]?.name}` }),
    expect: all(200),
  },
  {
    app: 'edge',
    route: 'GET /mockups/:id/:file{image\\.(?:png|webp)}',
    note: 'core’s public image, proxied (no image: 404)',
    request: (ids) => ({ path: `/mockups/${ids.mockupId}/image.png` }),
    expect: all(404),
  },
  // tRPC procedures (queries as GET, mutations as POST; tRPC's HTTP statuses).
  {
    app: 'trpc',
    route: 'score.get',
    note: 'public',
    request: () => ({ path: 'score.get', body: { topic: 'fuzz owls' } }),
    expect: all(200),
  },
  {
    app: 'trpc',
    route: 'analytics.designSummary',
    note: 'public',
    request: (ids) => ({ path: 'analytics.designSummary', body: { id: ids.designId, ...PERIOD } }),
    expect: all(200),
  },
  {
    app: 'trpc',
    route: 'analytics.topDesigns',
    note: 'public',
    request: () => ({ path: 'analytics.topDesigns', body: PERIOD }),
    expect: all(200),
  },
  {
    app: 'trpc',
    route: 'analytics.timeseries',
    note: 'public',
    request: (ids) => ({ path: 'analytics.timeseries', body: { id: ids.designId, ...PERIOD } }),
    expect: all(200),
  },
  {
    app: 'trpc',
    route: 'benchmarks.history',
    note: 'public',
    request: () => ({ path: 'benchmarks.history', body: {} }),
    expect: all(200),
  },
  {
    app: 'trpc',
    route: 'mockups.get',
    note: 'another tenant’s id is NOT_FOUND',
    request: (ids) => ({ path: 'mockups.get', body: { id: ids.mockupId } }),
    expect: keyed(200, 404),
  },
  {
    app: 'trpc',
    route: 'mockups.list',
    note: 'lists the caller’s tenant’s (admin: all)',
    request: () => ({ path: 'mockups.list', body: { limit: 50 } }),
    expect: keyed(200),
    check: (column, body, ids) =>
      listsA(column, listedIds((body as { result: { data: unknown } }).result.data), ids.mockupId),
  },
  {
    app: 'trpc',
    route: 'mockups.create',
    note: 'owned by the caller’s tenant',
    request: () => ({ path: 'mockups.create', body: MOCKUP }),
    expect: keyed(200),
  },
  {
    app: 'trpc',
    route: 'signals.ingest',
    note: 'queued as the caller’s tenant',
    request: () => ({ path: 'signals.ingest', body: { signals: [SIGNAL] } }),
    expect: keyed(200),
  },
]

/** Whether `row` covers the enumerated `METHOD /pattern` (or procedure path) `route`. */
export function covers(row: MatrixRow, route: string): boolean {
  if (!row.route.endsWith('/**')) return row.route === route
  const base = row.route.slice('ANY '.length, -'/**'.length)
  const path = route.slice(route.indexOf(' ') + 1)
  return path === base || path.startsWith(`${base}/`)
}

const cell = (expected: Expected) => (expected === 'reached' ? 'handler' : String(expected))

/** The matrix as a Markdown table (the one in docs/reliability.md). */
export function renderMatrix(rows: readonly MatrixRow[] = MATRIX): string {
  const head = ['app', 'route', ...COLUMNS.map((c) => HEADINGS[c]), 'why']
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`]
  for (const row of rows) {
    const route = `\`${row.route.replace(/\|/g, '\\|')}\``
    lines.push(
      `| ${[row.app, route, ...COLUMNS.map((c) => cell(row.expect[c])), row.note].join(' | ')} |`,
    )
  }
  return lines.join('\n')
}
