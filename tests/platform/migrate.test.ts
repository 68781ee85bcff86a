import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createPool,
  loadMigrations,
  type Migration,
  migrate,
} from '../../core/platform/db/index.ts'
import { searchPathSchema } from '../../core/platform/db/migrate.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'

let schema: TestSchema
let pool: pg.Pool
let dir: string

async function writeMigrations(files: Record<string, string>): Promise<Migration[]> {
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql)
  return loadMigrations(dir)
}

beforeAll(async () => {
  schema = await createTestSchema('migrate')
  pool = createPool({ url: schema.url, size: 8, name: 'migrate-test' })
  dir = await mkdtemp(join(tmpdir(), 'migrations-'))
})

afterAll(async () => {
  await pool.end()
  await schema.drop()
  await rm(dir, { recursive: true, force: true })
})

describe('migrate', () => {
  it('Should apply pending migrations once, in order, and be a no-op the second time', async () => {
    const migrations = await writeMigrations({
      '0001_things.sql': 'CREATE TABLE things (id int PRIMARY KEY);',
      '0002_more.sql': 'ALTER TABLE things ADD COLUMN label text;',
    })
    expect(await migrate(pool, { schema: schema.schema, migrations })).toEqual([1, 2])
    expect(await migrate(pool, { schema: schema.schema, migrations })).toEqual([])
    const { rows } = await pool.query(
      `SELECT version, name FROM ${schema.schema}.schema_migrations ORDER BY version`,
    )
    expect(rows).toEqual([
      { version: 1, name: 'things' },
      { version: 2, name: 'more' },
    ])
  })

  it('Should apply each migration exactly once when run concurrently', async () => {
    const other = await createTestSchema('migrate_conc')
    try {
      const migrations = await writeMigrations({
        '0003_counter.sql': 'CREATE TABLE counter (n int); INSERT INTO counter VALUES (1);',
      })
      const runs = await Promise.all(
        Array.from({ length: 6 }, () => migrate(pool, { schema: other.schema, migrations })),
      )
      expect(runs.flat().sort()).toEqual([1, 2, 3])
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${other.schema}.counter`)
      expect(rows[0].n).toBe(1)
    } finally {
      await other.drop()
    }
  })

  it('Should refuse a migration edited after it was applied', async () => {
    const migrations = await loadMigrations(dir)
    const edited = migrations.map((m) =>
      m.version === 1 ? { ...m, sql: `${m.sql} -- edited`, checksum: 'changed' } : m,
    )
    await expect(migrate(pool, { schema: schema.schema, migrations: edited })).rejects.toThrow(
      /migration 1 \(things\) changed after it was applied/,
    )
  })

  it('Should roll back a failing migration and name it', async () => {
    const failing = await createTestSchema('migrate_fail')
    try {
      const migrations: Migration[] = [
        { version: 1, name: 'ok', sql: 'CREATE TABLE a (id int);', checksum: 'a' },
        { version: 2, name: 'bad', sql: 'CREATE TABLE b (id int); SELECT nope;', checksum: 'b' },
      ]
      await expect(migrate(pool, { schema: failing.schema, migrations })).rejects.toThrow(
        /migration 2 \(bad\) failed: column "nope" does not exist/,
      )
      const { rows } = await pool.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
        [failing.schema],
      )
      expect(rows.map((r) => r.table_name)).toEqual(['a', 'schema_migrations'])
    } finally {
      await failing.drop()
    }
  })

  it('Should reject badly named files and gaps in numbering', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'migrations-bad-'))
    try {
      await writeFile(join(bad, '0001_ok.sql'), 'SELECT 1;')
      await writeFile(join(bad, '0003_gap.sql'), 'SELECT 1;')
      await expect(loadMigrations(bad)).rejects.toThrow(/should be number 2/)
      await rm(join(bad, '0003_gap.sql'))
      await writeFile(join(bad, 'Init.sql'), 'SELECT 1;')
      await expect(loadMigrations(bad)).rejects.toThrow(/must be named NNNN_snake_name.sql/)
    } finally {
      await rm(bad, { recursive: true, force: true })
    }
  })

  it("Should apply the project's own migrations to an empty schema", async () => {
    const fresh = await createTestSchema('migrate_project')
    try {
      const applied = await migrate(pool, { schema: fresh.schema })
      expect(applied.length).toBe((await loadMigrations()).length)
      expect(applied.length).toBeGreaterThan(0)
    } finally {
      await fresh.drop()
    }
  })

  it('Should migrate the schema the URL puts first on the search_path, not public', async () => {
    const name = `t_migrate_url_${Date.now().toString(36)}`
    const url = new URL(schema.url)
    url.searchParams.set('options', `-c search_path=${name}`)
    const scoped = createPool({ url: url.toString(), size: 1, name: 'migrate-url' })
    try {
      const applied = await migrate(scoped)
      expect(applied.length).toBe((await loadMigrations()).length)
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
        [name, 'schema_migrations'],
      )
      expect(rows[0].n).toBe(1)
      // Unqualified names reach the migrated tables through the same URL.
      expect((await scoped.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(0)
    } finally {
      await scoped.end()
      await pool.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)
    }
  })

  it.each([
    ['"$user", public', 'public'],
    ['app', 'app'],
    ['"$user", "Odd ""name""", public', 'Odd "name"'],
    ['', 'public'],
  ])('Should read search_path %j as schema %j', (path, expected) => {
    expect(searchPathSchema({ search_path: path })).toBe(expected)
  })
})
