/**
 * The edge's SQL client on pg prepares each constant statement once per
 * connection (real PostgreSQL, one connection so the view shows it), and
 * stops naming statements past its bound.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestSchema, type TestSchema } from '../../../tests/support/db.ts'
import { MAX_PREPARED_STATEMENTS, pgSql } from './pg-sql.ts'

let schema: TestSchema
let pool: pg.Pool

beforeAll(async () => {
  schema = await createTestSchema('pg_sql')
  pool = new pg.Pool({ connectionString: schema.url, max: 1 })
})

afterAll(async () => {
  await pool?.end()
  await schema?.drop()
})

const prepared = async () =>
  (
    await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')
  ).rows.map((row) => row.statement)

describe('pgSql', () => {
  it('Should prepare a statement once and answer each call with its own parameters', async () => {
    const sql = pgSql(pool)
    const text = 'SELECT $1::int + 1 AS next'
    expect(await sql.query(text, [1])).toEqual([{ next: 2 }])
    expect(await sql.query(text, [41])).toEqual([{ next: 42 }])
    expect((await prepared()).filter((statement) => statement === text)).toHaveLength(1)
  })

  it('Should share prepared statements between clients on one pool', async () => {
    const text = 'SELECT $1::text AS echoed'
    expect(await pgSql(pool).query(text, ['a'])).toEqual([{ echoed: 'a' }])
    expect(await pgSql(pool).query(text, ['b'])).toEqual([{ echoed: 'b' }])
    expect(await pgSql(pool).query('SELECT $1::text AS other', ['c'])).toEqual([{ other: 'c' }])
  })

  it('Should run statements past the bound unnamed, still answering them', async () => {
    const sql = pgSql(pool)
    for (let i = 0; i < MAX_PREPARED_STATEMENTS + 3; i++) {
      expect(await sql.query(`SELECT ${i}::int AS n`, [])).toEqual([{ n: i }])
    }
    const named = (await prepared()).filter((statement) => /^SELECT \d+::int AS n$/.test(statement))
    expect(named).toHaveLength(MAX_PREPARED_STATEMENTS)
  })
})
