/**
 * @module
 * The migration runner: numbered `.sql` files applied in order, each in its own
 * transaction, under an advisory lock so concurrent starts apply each file once.
 * Append-only: an applied file whose content changed is an error, not a re-run.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type pg from 'pg'
import type { Logger } from '../logger.ts'

/** One migration: `0003_signals.sql` has version 3 and name `signals`. */
export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

/** The project's migrations folder. */
export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations')

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/

/** Reads and orders the migrations of a folder; rejects gaps and duplicate numbers. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort()
  const migrations: Migration[] = []
  for (const file of files) {
    const match = FILE.exec(file)
    if (!match) throw new Error(`migration file "${file}" must be named NNNN_snake_name.sql`)
    const sql = await readFile(join(dir, file), 'utf8')
    const version = Number(match[1])
    if (version !== migrations.length + 1) {
      throw new Error(
        `migration "${file}" should be number ${migrations.length + 1}: no gaps or repeats`,
      )
    }
    migrations.push({ version, name: match[2]!, sql, checksum: sha256(sql) })
  }
  return migrations
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/**
 * The schema unqualified names go to: the first search_path entry other than
 * `"$user"` (there is no per-user schema here), unquoted.
 */
export function searchPathSchema(row: { search_path: string } | undefined): string {
  const entries = (row?.search_path ?? '').split(',').map((entry) => entry.trim())
  const first = entries.find((entry) => entry !== '' && entry !== '"$user"')
  if (!first) return 'public'
  return first.startsWith('"') ? first.slice(1, -1).replace(/""/g, '"') : first
}

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /**
   * Schema to migrate (created if missing); also the lock's scope.
   * @defaultValue the first schema of the connection's search_path (`public`
   * unless the URL sets one, e.g. `?options=-c search_path=app`)
   */
  schema?: string
  migrations?: readonly Migration[]
  logger?: Logger
}

/** Applies pending migrations; returns the versions it applied (empty when up to date). */
export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<number[]> {
  const migrations = options.migrations ?? (await loadMigrations())
  const client = await pool.connect()
  try {
    const schema =
      options.schema ??
      searchPathSchema((await client.query<{ search_path: string }>('SHOW search_path')).rows[0])
    const ident = client.escapeIdentifier(schema)
    // One lock per schema: parallel test schemas do not wait on each other.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident}`)
    await client.query(`SET search_path TO ${ident}`)
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
    const { rows } = await client.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations',
    )
    const applied = new Map(rows.map((row) => [row.version, row.checksum]))
    const done: number[] = []
    for (const migration of migrations) {
      const checksum = applied.get(migration.version)
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.version} (${migration.name}) changed after it was applied: ` +
              'migrations are append-only, add a new one instead',
          )
        }
        continue
      }
      await applyOne(client, migration)
      options.logger?.info({ schema, version: migration.version, name: migration.name }, 'migrated')
      done.push(migration.version)
    }
    return done
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => {})
    await client.query('RESET search_path').catch(() => {})
    client.release()
  }
}

async function applyOne(client: pg.PoolClient, migration: Migration): Promise<void> {
  try {
    await client.query('BEGIN')
    await client.query(migration.sql)
    await client.query(
      'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
      [migration.version, migration.name, migration.checksum],
    )
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw new Error(
      `migration ${migration.version} (${migration.name}) failed: ${(err as Error).message}`,
      {
        cause: err,
      },
    )
  }
}
