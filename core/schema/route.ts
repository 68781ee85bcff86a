/**
 * @module
 * `GET /v1/schema-version`: the newest migration applied to core's database,
 * public and read-only. The edge's `/readyz` compares it with what its own
 * database client reads, which catches an edge whose NEON_DATABASE_URL is
 * not the database core migrates.
 */
import type pg from 'pg'
import { DependencyUnavailableError } from '../../edge/errors/index.ts'
import { readSchemaVersion } from '../../edge/health/index.ts'
import { pgSql } from '../edge-host/adapters/pg-sql.ts'
import type { CoreRoutes } from '../http/app.ts'

/** Options of {@link schemaVersionRoute}. */
export interface SchemaVersionRouteOptions {
  /** Core's database; unset: the route answers 503. */
  db?: pg.Pool
}

/** The route, for `createCoreApp({ routes })`. */
export function schemaVersionRoute(options: SchemaVersionRouteOptions): CoreRoutes {
  const db = options.db && pgSql(options.db)
  return (app) => {
    app.get('/v1/schema-version', async (c) => {
      if (!db) throw new DependencyUnavailableError('database', 'DATABASE_URL is not set')
      c.header('Cache-Control', 'no-store')
      return c.json({ version: await readSchemaVersion(db) })
    })
  }
}
