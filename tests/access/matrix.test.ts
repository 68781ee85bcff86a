/**
 * The access matrix (issue #22): every route of core and the edge and every
 * tRPC procedure, enumerated from the apps (`app.routes`) and the router
 * (`_def.procedures`), called by each kind of caller (no key, tenant A,
 * tenant B on A's resources, admin, spoofed forwarded headers) against the
 * real stack; each status must be the one `matrix.ts` expects. A route with
 * no row, or a row with no route, fails; so does docs/reliability.md when its
 * table is not the one `matrix.ts` renders.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppRouter } from '../../edge/gateway/index.ts'
import { memoryLogger } from '../support/logs.ts'
import {
  CALLER_HEADERS,
  COLUMNS,
  type Column,
  covers,
  MATRIX,
  type MatrixIds,
  type MatrixRow,
  renderMatrix,
  SIGNAL,
} from './matrix.ts'
import { AUTH, type FullStack, startFullStack } from './stack.ts'

let stack: FullStack
let ids: MatrixIds

/**
 * Entries of `app.routes` that are middleware, not routes: core's global
 * stack and the admin guard, the edge's global stack. The edge's `/trpc/*`
 * (and the ETag step of `score.get`) is the gateway: its procedures are rows.
 */
const MIDDLEWARE = new Set(['core ALL /*', 'core ALL /admin/*', 'edge ALL /*'])
const GATEWAY = /^\S+ \/trpc\//

/** `METHOD /pattern` of each route of `app`, once each. */
function routesOf(name: 'core' | 'edge', app: Hono): string[] {
  const routes = new Set(app.routes.map((r) => `${r.method} ${r.path}`))
  return [...routes].filter(
    (r) => !MIDDLEWARE.has(`${name} ${r}`) && !(name === 'edge' && GATEWAY.test(r)),
  )
}

/** Each procedure's path and whether it is a mutation (the router's, dependencies unused). */
const PROCEDURES = Object.entries(
  createAppRouter({ score: {} as never, core: {} as never, db: {} as never })._def
    .procedures as Record<string, unknown>,
).map(([path, procedure]) => ({
  path,
  mutation: (procedure as { _def: { type: string } })._def.type === 'mutation',
}))

/** Every enumerated route with its one row; throws naming a route with none or several. */
function enumerate(): { app: MatrixRow['app']; route: string; row: MatrixRow }[] {
  const found = [
    ...routesOf('core', stack.core).map((route) => ({ app: 'core' as const, route })),
    ...routesOf('edge', stack.edge).map((route) => ({ app: 'edge' as const, route })),
    ...PROCEDURES.map((p) => ({ app: 'trpc' as const, route: p.path })),
  ]
  return found.map(({ app, route }) => {
    const rows = MATRIX.filter((row) => row.app === app && covers(row, route))
    if (rows.length !== 1) throw new Error(`${app} ${route}: ${rows.length} matrix rows, not 1`)
    return { app, route, row: rows[0] as MatrixRow }
  })
}

/** Calls `route` as `column`'s caller (with `extra` headers): its status and parsed body. */
async function call(
  app: MatrixRow['app'],
  route: string,
  row: MatrixRow,
  column: Column,
  extra: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const method = app === 'trpc' ? undefined : route.slice(0, route.indexOf(' '))
  const { path, body } = row.request(ids, route.slice(route.indexOf(' ') + 1))
  // A browser on the site itself sends its Origin with every write.
  const headers = { ...extra, ...CALLER_HEADERS[column], 'Content-Type': 'application/json' }
  let res: Response
  if (app === 'trpc') {
    const mutation = PROCEDURES.find((p) => p.path === path)?.mutation
    res = mutation
      ? await stack.edge.request(`/trpc/${path}`, {
          method: 'POST',
          headers: { ...headers, Origin: 'http://localhost' },
          body: JSON.stringify(body),
        })
      : await stack.edge.request(
          `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(body))}`,
          { headers },
        )
  } else {
    const write = method !== 'GET'
    res = await (app === 'core' ? stack.core : stack.edge).request(path, {
      method,
      headers: write ? { ...headers, Origin: 'http://localhost' } : headers,
      body: write ? JSON.stringify(body ?? {}) : undefined,
    })
  }
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // HTML, scripts and images stay text.
  }
  return { status: res.status, body: parsed }
}

beforeAll(async () => {
  stack = await startFullStack('matrix', { logger: memoryLogger() })
  // Tenant A's signal job: queued, never run (no worker here).
  const posted = await stack.core.request('/signals', {
    method: 'POST',
    headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
    body: JSON.stringify({ signals: [SIGNAL] }),
  })
  expect(posted.status).toBe(202)
  const { jobId } = (await posted.json()) as { jobId: string }
  ids = { mockupId: stack.mockupId, jobId, designId: stack.designIds[0] as number }
}, 60_000)

afterAll(async () => {
  await stack?.close()
})

describe('The access matrix', () => {
  it('Should have one row for every route and procedure, and no row without one', () => {
    const enumerated = enumerate()
    // The enumeration found what it must (a broken enumeration would check nothing).
    expect(enumerated.map((e) => `${e.app} ${e.route}`)).toEqual(
      expect.arrayContaining([
        'core GET /mockups/:id',
        'core GET /signals/jobs/:id',
        'core PUT /admin/queues/api/queues/:queueName/pause',
        'core POST /admin/queues/api/queues/:queueName/add',
        'edge GET /score',
        'trpc mockups.get',
        'trpc signals.ingest',
      ]),
    )
    const used = new Set(enumerated.map((e) => e.row))
    expect(MATRIX.filter((row) => !used.has(row)).map((row) => row.route)).toEqual([])
  })

  it('Should answer each caller of each route as the matrix says', async () => {
    const wrong: string[] = []
    for (const { app, route, row } of enumerate()) {
      for (const column of COLUMNS) {
        const { status, body } = await call(app, route, row, column)
        const expected = row.expect[column]
        const ok =
          expected === 'reached'
            ? status !== 401 && status !== 403 && status < 500
            : status === expected
        if (!ok) wrong.push(`${app} ${route} as ${column}: ${status}, expected ${expected}`)
        if (ok && status < 300 && row.check) {
          try {
            row.check(column, body, ids)
          } catch (error) {
            wrong.push(`${app} ${route} as ${column}: ${(error as Error).message}`)
          }
        }
      }
    }
    expect(wrong).toEqual([])
  }, 120_000)

  it('Should give tenant B its own answers when it also sends headers naming the admin', async () => {
    const scoped = enumerate().filter(({ row }) => row.expect.tenantB !== row.expect.admin)
    expect(scoped.length).toBeGreaterThan(0)
    const wrong: string[] = []
    for (const { app, route, row } of scoped) {
      const { status } = await call(app, route, row, 'tenantB', CALLER_HEADERS.spoofed)
      if (status !== row.expect.tenantB) wrong.push(`${app} ${route}: ${status}`)
    }
    expect(wrong).toEqual([])
  })

  it('Should let spoofed forwarded headers change nothing: as with no key, on every row', () => {
    for (const row of MATRIX) expect(row.expect.spoofed, row.route).toBe(row.expect.none)
  })

  it('Should be the table in docs/reliability.md', async () => {
    const docs = await readFile(join(import.meta.dirname, '../../docs/reliability.md'), 'utf8')
    const table = renderMatrix()
    const lines = docs.split('\n')
    const start = lines.indexOf(table.split('\n')[0] as string)
    const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'))
    expect(start, 'the table heading').toBeGreaterThanOrEqual(0)
    expect(lines.slice(start, end).join('\n')).toBe(table)
  })
})
