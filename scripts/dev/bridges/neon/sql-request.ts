/**
 * @module
 * What the Neon driver's HTTP query function (`neon()`) sends: the body
 * (`{query, params}` or `{queries: [...]}`) and the `Neon-*` headers.
 */
import { z } from 'zod'

/** One statement with its `$1, $2...` parameters (already text or null, as the driver sends them). */
const QuerySchema = z.object({
  query: z.string().min(1),
  params: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).default([]),
})

/** The body: one query, or a batch run in one transaction. */
export const SqlBodySchema = z.union([
  QuerySchema,
  z.object({ queries: z.array(QuerySchema).min(1) }),
])

/** One statement to run. */
export type SqlQuery = z.infer<typeof QuerySchema>

/** The Neon isolation level names and what PostgreSQL calls them. */
const ISOLATION_LEVELS: Readonly<Record<string, string>> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
}

/** The `Neon-Batch-*` headers of a batch request. */
export interface BatchHeaders {
  isolationLevel?: string | undefined
  readOnly?: string | undefined
  deferrable?: string | undefined
}

/**
 * The `BEGIN` that opens a batch with the requested isolation and access mode,
 * or an error message when a header holds something else.
 */
export function beginStatement(headers: BatchHeaders): { sql: string } | { error: string } {
  const modes: string[] = []
  if (headers.isolationLevel !== undefined) {
    const level = ISOLATION_LEVELS[headers.isolationLevel]
    if (!level) {
      return {
        error: `Neon-Batch-Isolation-Level must be one of ${Object.keys(ISOLATION_LEVELS).join(', ')}`,
      }
    }
    modes.push(`ISOLATION LEVEL ${level}`)
  }
  for (const [name, value, on, off] of [
    ['Neon-Batch-Read-Only', headers.readOnly, 'READ ONLY', 'READ WRITE'],
    ['Neon-Batch-Deferrable', headers.deferrable, 'DEFERRABLE', 'NOT DEFERRABLE'],
  ] as const) {
    if (value === undefined) continue
    if (value !== 'true' && value !== 'false') return { error: `${name} must be true or false` }
    modes.push(value === 'true' ? on : off)
  }
  return { sql: modes.length > 0 ? `BEGIN ${modes.join(' ')}` : 'BEGIN' }
}
