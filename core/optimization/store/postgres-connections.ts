/**
 * @module
 * How the PostgreSQL metrics store reaches the database: a `pg.Pool` kept open
 * (the seed's `SimpleConnectionPool`, with the `db_pool_*` gauges), or — for
 * the benchmark only — a new connection per call, opened and closed around it.
 */
import pg from 'pg'
import type { Registry } from 'prom-client'
import { createPool } from '../../platform/db/index.ts'
import type { Logger } from '../../platform/logger.ts'

/** The two operations the store needs. */
export interface PgConnections {
  query: (text: string, values: unknown[]) => Promise<pg.QueryResult>
  /** Runs `fn` on one connection (for a transaction). */
  withClient: <T>(fn: (client: pg.ClientBase) => Promise<T>) => Promise<T>
  end: () => Promise<void>
}

/** Where and how to connect. */
export interface PgConnectionOptions {
  url: string
  /** `search_path` of every connection (the benchmark's own schema). */
  schema?: string
  /** Pool size. @defaultValue 10 */
  size?: number
  /** `pool` label of the gauges. @defaultValue `'metrics_store'` */
  poolName?: string
  registry?: Registry
  logger?: Logger
}

/** A pool kept open for the life of the store. */
export function pooledConnections(options: PgConnectionOptions): PgConnections {
  const pool = createPool({
    url: options.url,
    size: options.size ?? 10,
    name: options.poolName ?? 'metrics_store',
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  })
  return {
    query: (text, values) => pool.query(text, values),
    withClient: async (fn) => {
      const client = await pool.connect()
      // A checked-out client has no pool listener: a connection lost mid-use
      // would crash the process. The failure still reaches `fn` as a rejected query.
      const ignore = () => {}
      client.on('error', ignore)
      try {
        return await fn(client)
      } finally {
        client.removeListener('error', ignore)
        client.release()
      }
    },
    end: () => pool.end(),
  }
}

/** A connection per call: what pooling saves (TCP, authentication, backend start). */
export function unpooledConnections(options: PgConnectionOptions): PgConnections {
  const withClient = async <T>(fn: (client: pg.ClientBase) => Promise<T>): Promise<T> => {
    const client = new pg.Client({
      connectionString: options.url,
      application_name: 'mockup-platform:metrics_store_unpooled',
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    })
    client.on('error', () => {}) // surfaced by the failing query instead
    await client.connect()
    try {
      return await fn(client)
    } finally {
      await client.end()
    }
  }
  return {
    query: (text, values) => withClient((client) => client.query(text, values)),
    withClient,
    end: async () => {},
  }
}
