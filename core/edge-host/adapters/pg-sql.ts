/** @module The edge SQL contract over a `pg` pool (the edge app on Node). */
import type pg from 'pg'
import type { SqlClient } from '../../../edge/db/types.ts'

/** A {@link SqlClient} on a pool. */
export function pgSql(pool: pg.Pool): SqlClient {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[]) {
      const result = await pool.query<Row>(text, params as unknown[])
      return result.rows
    },
  }
}
