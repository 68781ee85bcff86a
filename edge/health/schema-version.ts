/**
 * @module
 * The schema version of a database: the newest migration applied to it, read
 * from the table core's migration runner writes (`schema_migrations`, see
 * core/platform/db/migrate.ts). Core reports its own through
 * `GET /v1/schema-version`; the edge compares it with the one its database
 * client reads, so an edge pointed at another database (a Neon branch that is
 * not core's) is caught.
 */
import { z } from 'zod'
import type { SqlClient } from '../db/types.ts'

/** Newest applied migration; 0 when the table is there but empty. */
export const SCHEMA_VERSION_SQL =
  'SELECT COALESCE(MAX(version), 0)::int AS version FROM schema_migrations'

/** What `GET /v1/schema-version` answers. */
export const schemaVersionBody = z.object({ version: z.number().int().min(0) })

/** The schema version `db` reads; rejects when the table is missing (not core's database). */
export async function readSchemaVersion(db: SqlClient): Promise<number> {
  const [row] = await db.query<{ version: number | string }>(SCHEMA_VERSION_SQL, [])
  // Neon's HTTP driver and pg both type int4, but a proxy may hand back text.
  return Number(row?.version ?? 0)
}
