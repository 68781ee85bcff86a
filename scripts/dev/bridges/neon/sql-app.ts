/**
 * @module
 * The SQL-over-HTTP endpoint the Neon driver's `neon()` posts to
 * (`fetchEndpoint`): `POST /sql` runs one statement, or a batch in one
 * transaction, on the PostgreSQL named by `Neon-Connection-String`.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import pg from 'pg'
import type { AllowList } from './allow-list.ts'
import { parseConnectionTarget } from './allow-list.ts'
import type { BridgeLogger } from './logger.ts'
import type { PoolRegistry } from './pools.ts'
import { beginStatement, SqlBodySchema, type SqlQuery } from './sql-request.ts'
import { databaseErrorBody, type NeonResult, toNeonResult } from './sql-results.ts'

/** Options of {@link createNeonSqlApp}. */
export interface NeonSqlAppOptions {
  /** Targets a connection string may name; others get 403. */
  allow: AllowList
  /** Where the pools live (kept open across requests). */
  pools: PoolRegistry
  /** Largest request body; larger ones get 413. @defaultValue 4 MiB */
  maxBodyBytes?: number
  logger: BridgeLogger
}

/** Default {@link NeonSqlAppOptions.maxBodyBytes}: 4 MiB. */
export const DEFAULT_SQL_MAX_BODY_BYTES = 4 * 1024 * 1024

/**
 * Builds the endpoint. Values come back as PostgreSQL text whatever
 * `Neon-Raw-Text-Output` says (the driver always asks for text and parses it
 * itself); rows are arrays when `Neon-Array-Mode: true`. Errors answer
 * `{message, ...}`: PostgreSQL's own with 400 and its fields (`code`...),
 * a refused target 403, PostgreSQL unreachable 503.
 */
export function createNeonSqlApp(options: NeonSqlAppOptions): Hono {
  const { allow, pools, logger } = options
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_SQL_MAX_BODY_BYTES
  const app = new Hono()

  app.post(
    '/sql',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => c.json({ message: `request body is over ${maxBodyBytes} bytes` }, 413),
    }),
    async (c) => {
      const connectionString = c.req.header('neon-connection-string')
      if (!connectionString) throw neonError(400, 'the Neon-Connection-String header is missing')
      const target = parseConnectionTarget(connectionString)
      if (!target) throw neonError(400, 'Neon-Connection-String is not a postgres:// URL')
      if (!allow.allows(target.host, target.port)) {
        throw neonError(403, `${target.host}:${target.port} is not allowed through this bridge`)
      }
      const body = SqlBodySchema.safeParse(await c.req.json().catch(() => undefined))
      if (!body.success) {
        throw neonError(400, 'the body must be {query, params} or {queries: [{query, params}...]}')
      }
      const arrayMode = c.req.header('neon-array-mode') === 'true'
      const pool = pools.get(connectionString)
      if (!('queries' in body.data)) return c.json(await runSingle(pool, body.data, arrayMode))

      const begin = beginStatement({
        isolationLevel: c.req.header('neon-batch-isolation-level'),
        readOnly: c.req.header('neon-batch-read-only'),
        deferrable: c.req.header('neon-batch-deferrable'),
      })
      if ('error' in begin) throw neonError(400, begin.error)
      return c.json({ results: await runBatch(pool, begin.sql, body.data.queries, arrayMode) })
    },
  )

  app.notFound((c) => c.json({ message: 'not found: the SQL endpoint is POST /sql' }, 404))
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse()
    const body = databaseErrorBody(error)
    if (body) {
      logger.debug({ code: body.code }, 'neon sql bridge: query failed')
      return c.json(body, 400)
    }
    // Not from PostgreSQL: connecting failed, or the connection dropped.
    const reason = error instanceof Error ? error.message : String(error)
    logger.warn({ reason }, 'neon sql bridge: database unavailable')
    return c.json({ message: `database unavailable: ${reason}` }, 503)
  })
  return app
}

function neonError(status: ContentfulStatusCode, message: string): HTTPException {
  return new HTTPException(status, { res: Response.json({ message }, { status }) })
}

async function runSingle(pool: pg.Pool, query: SqlQuery, arrayMode: boolean): Promise<NeonResult> {
  const client = await pool.connect()
  try {
    const result = await runQuery(client, query, arrayMode)
    client.release()
    return result
  } catch (error) {
    // A PostgreSQL error leaves the connection usable; anything else may not have.
    client.release(error instanceof pg.DatabaseError ? undefined : asError(error))
    throw error
  }
}

async function runBatch(
  pool: pg.Pool,
  begin: string,
  queries: SqlQuery[],
  arrayMode: boolean,
): Promise<NeonResult[]> {
  const client = await pool.connect()
  let broken: Error | undefined
  try {
    await client.query(begin)
    const results: NeonResult[] = []
    for (const query of queries) results.push(await runQuery(client, query, arrayMode))
    await client.query('COMMIT')
    return results
  } catch (error) {
    // A connection that cannot even roll back is dropped rather than reused mid-transaction.
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = asError(rollbackError)
    })
    throw error
  } finally {
    client.release(broken)
  }
}

async function runQuery(
  client: pg.PoolClient,
  { query, params }: SqlQuery,
  arrayMode: boolean,
): Promise<NeonResult> {
  // Extended protocol even without parameters, as Neon: one statement per query.
  const config = { text: query, values: params, queryMode: 'extended' }
  const result = arrayMode
    ? await client.query({ ...config, rowMode: 'array' })
    : await client.query(config)
  return toNeonResult(result, arrayMode)
}

const asError = (value: unknown): Error =>
  value instanceof Error ? value : new Error(String(value))
