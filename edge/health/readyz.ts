/**
 * @module
 * `GET /readyz` on the edge: ready when core answers and the database the edge
 * reads carries the migrations core applied (same schema version). The answer
 * names each check, so a 503 says which of core, the database or the schema
 * comparison failed. Never cached; bounded by a deadline per call.
 */
import type { Hono } from 'hono'
import { withTimeout } from '../cache/timeout.ts'
import type { SqlClient } from '../db/types.ts'
import { readSchemaVersion, schemaVersionBody } from './schema-version.ts'

/** Options of {@link readyzRoute}. */
export interface ReadyzOptions {
  /** Core's base URL (`CORE_URL`). */
  coreUrl: string
  /** The edge's own database client (Neon on Workers/Deno). */
  db: SqlClient
  /** The fetch core calls go through. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch
  /** Deadline of each check, in ms. @defaultValue 2000 */
  timeoutMs?: number
}

/** One check's outcome. */
export interface CheckResult {
  ok: boolean
  /** The schema version it found. */
  schemaVersion?: number
  error?: string
}

/** The report `/readyz` answers (200 when ready, else 503). */
export interface ReadyzReport {
  ready: boolean
  checks: { core: CheckResult; database: CheckResult; schema: CheckResult }
}

const failed = (err: unknown): CheckResult => ({
  ok: false,
  error: err instanceof Error ? err.message : String(err),
})

async function coreVersion(options: Required<Omit<ReadyzOptions, 'db'>>): Promise<number> {
  const url = `${options.coreUrl.replace(/\/$/, '')}/v1/schema-version`
  let res: Response
  try {
    res = await options.fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) })
  } catch (err) {
    throw new Error(`core at ${options.coreUrl} is unreachable (${(err as Error).message})`)
  }
  if (!res.ok) {
    await res.body?.cancel()
    throw new Error(`core answered ${res.status} to GET /v1/schema-version`)
  }
  const body = schemaVersionBody.safeParse(await res.json().catch(() => undefined))
  if (!body.success) throw new Error('core answered GET /v1/schema-version without a version')
  return body.data.version
}

/** Runs the checks (pure apart from the two calls it is given). */
export async function checkReadiness(options: ReadyzOptions): Promise<ReadyzReport> {
  const timeoutMs = options.timeoutMs ?? 2000
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const [core, database] = await Promise.all([
    withTimeout(
      coreVersion({ coreUrl: options.coreUrl, fetch: doFetch, timeoutMs }),
      timeoutMs,
      'core',
    ).then((schemaVersion): CheckResult => ({ ok: true, schemaVersion }), failed),
    withTimeout(readSchemaVersion(options.db), timeoutMs, 'the database').then(
      (schemaVersion): CheckResult => ({ ok: true, schemaVersion }),
      (err: unknown) =>
        failed(
          new Error(
            `the edge's database cannot report its schema version (${(err as Error).message}); ` +
              "is NEON_DATABASE_URL core's database?",
          ),
        ),
    ),
  ])
  let schema: CheckResult
  if (!core.ok || !database.ok) {
    schema = { ok: false, error: 'not compared: a version is missing' }
  } else if (core.schemaVersion !== database.schemaVersion) {
    schema = {
      ok: false,
      error:
        `the edge's database is at migration ${database.schemaVersion}, core's at ` +
        `${core.schemaVersion}: NEON_DATABASE_URL must be the database core migrates`,
    }
  } else {
    schema = { ok: true, schemaVersion: core.schemaVersion }
  }
  return { ready: core.ok && database.ok && schema.ok, checks: { core, database, schema } }
}

/**
 * Adds `GET /readyz`.
 *
 * @example
 * readyzRoute(app, { coreUrl: 'https://core.example.com', db })
 */
export function readyzRoute(app: Hono, options: ReadyzOptions): void {
  app.get('/readyz', async (c) => {
    const report = await checkReadiness(options)
    c.header('Cache-Control', 'no-store')
    return c.json(report, report.ready ? 200 : 503)
  })
}
