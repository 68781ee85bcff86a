/**
 * @module
 * A private schema in the shared test database per test file, so files run in
 * parallel and twice in a row without seeing each other's rows.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { testDatabaseUrl } from './env.ts'

/** A schema made for one test file. */
export interface TestSchema {
  schema: string
  url: string
  /** Drops the schema and everything in it. */
  drop: () => Promise<void>
}

/** Creates an empty schema named `t_<label>_<random>`. */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const schema = `t_${label}_${randomUUID().slice(0, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_')
  const url = testDatabaseUrl()
  await withClient(url, (client) =>
    client.query(`CREATE SCHEMA ${client.escapeIdentifier(schema)}`),
  )
  return {
    schema,
    url,
    drop: () =>
      withClient(url, (client) =>
        client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`),
      ).then(() => {}),
  }
}

/** Runs `fn` with a short-lived client. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}
