/**
 * @module
 * The edge SQL contract over `@neondatabase/serverless`'s `neon()`: one HTTP
 * request per statement, no connection to hold, so it works on every runtime
 * with `fetch` (workerd included).
 */
import { neon, neonConfig } from '@neondatabase/serverless'
import type { SqlClient } from '../db/types.ts'

/** Options of {@link neonSql}. */
export interface NeonSqlOptions {
  /** `NEON_DATABASE_URL`, e.g. `postgres://user:pass@ep-x.neon.tech/db`. */
  connectionString: string
  /**
   * Local and test use only (`NEON_FETCH_ENDPOINT`): the SQL-over-HTTP URL,
   * e.g. the local Neon bridge's `http://127.0.0.1:PORT/sql`. The driver only
   * takes it globally, so it is written to `neonConfig` and holds for every
   * client in the isolate. @defaultValue Neon's endpoint for the host
   */
  fetchEndpoint?: string
  /** Each query's HTTP request is aborted after this long. @defaultValue 10000 */
  timeoutMs?: number
}

/** A {@link SqlClient} on Neon's HTTP endpoint. */
export function neonSql(options: NeonSqlOptions): SqlClient {
  if (options.fetchEndpoint) neonConfig.fetchEndpoint = options.fetchEndpoint
  const sql = neon(options.connectionString)
  const timeoutMs = options.timeoutMs ?? 10_000
  return {
    async query<Row extends object>(text: string, params: readonly unknown[]) {
      const rows = await sql.query(text, [...params], {
        fetchOptions: { signal: AbortSignal.timeout(timeoutMs) },
      })
      return rows as Row[]
    },
  }
}
