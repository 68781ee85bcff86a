/**
 * @module
 * PostgreSQL pools (`pg`) kept open for the life of the process, with the
 * pool gauges `db_pool_size`, `db_pool_in_use` and `db_pool_waiting`.
 */
import pg from 'pg'
import type { Registry } from 'prom-client'
import type { Logger } from '../logger.ts'
import { trackPool } from './pool-metrics.ts'

/** Options of {@link createPool}. */
export interface PoolOptions {
  url: string
  /** Maximum connections (`DB_POOL_SIZE`). @defaultValue 10 */
  size?: number
  /** The `pool` label of the gauges and the `application_name` suffix. @defaultValue `'main'` */
  name?: string
  /** Sets `search_path` on every connection, so tests and tenants get their own tables. */
  schema?: string
  /** Tags connections, so a fault test can terminate only its own. */
  applicationName?: string
  /** Registry to export the pool gauges to. */
  registry?: Registry
  logger?: Logger
  /** How long a checkout may wait for a free connection. @defaultValue 5000 */
  connectionTimeoutMs?: number
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Creates a pool; an idle connection that dies is logged and replaced, never fatal. */
export function createPool(options: PoolOptions): pg.Pool {
  const name = options.name ?? 'main'
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`schema "${options.schema}" must match ${SCHEMA_NAME}`)
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.size ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? `mockup-platform:${name}`,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  })
  // Without a listener, a terminated idle connection would crash the process.
  pool.on('error', (err) => options.logger?.warn({ err, pool: name }, 'idle connection lost'))
  if (options.registry) trackPool(options.registry, name, pool)
  return pool
}
