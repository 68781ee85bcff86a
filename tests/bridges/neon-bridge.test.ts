/**
 * @module
 * The Neon bridges driven by the real `@neondatabase/serverless` driver:
 * `neon()` over the SQL endpoint, `Pool`/`Client` over the WebSocket proxy,
 * against the shared test PostgreSQL in a schema of this file's own.
 */
import { randomUUID } from 'node:crypto'
import { Client, neon, neonConfig, Pool } from '@neondatabase/serverless'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  configureNeonForBridge,
  type NeonBridge,
  startNeonBridge,
} from '../../scripts/dev/bridges/index.ts'
import { testDatabaseUrl } from '../support/env.ts'

const schema = `bridge_${randomUUID().replaceAll('-', '')}`
const databaseUrl = testDatabaseUrl()
/** The test database on a host the bridge does not allow. */
const refusedUrl = (() => {
  const url = new URL(databaseUrl)
  url.hostname = '127.0.0.2'
  return url.toString()
})()
const logLines: string[] = []
const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) })

let bridge: NeonBridge
let direct: pg.Client

beforeAll(async () => {
  bridge = await startNeonBridge({ allow: [databaseUrl], logger })
  configureNeonForBridge(neonConfig, bridge)
  direct = new pg.Client({ connectionString: databaseUrl })
  await direct.connect()
  await direct.query(`CREATE SCHEMA ${schema}`)
  await direct.query(
    `CREATE TABLE ${schema}.items (id serial PRIMARY KEY, name text UNIQUE NOT NULL, qty int)`,
  )
})

afterAll(async () => {
  await direct.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await direct.end()
  await bridge.close()
})

const countItems = async (): Promise<number> =>
  Number((await direct.query(`SELECT count(*) AS n FROM ${schema}.items`)).rows[0].n)

describe('neon() over the SQL endpoint', () => {
  const sql = neon(databaseUrl)

  it('Should run a query with parameters and parse each type', async () => {
    const when = new Date('2024-05-06T07:08:09.123Z')
    const rows = await sql`
      SELECT ${41}::int + 1 AS n, ${'héllo'}::text AS t, ${JSON.stringify({ a: [1, 'b'] })}::json AS j,
             ${when.toISOString()}::timestamptz AS at, NULL::int AS nothing,
             ARRAY[1, 2, 3]::int[] AS ints, ${['x', 'y z']}::text[] AS texts,
             9007199254740993::bigint AS big, true AS yes`
    expect(rows).toEqual([
      {
        n: 42,
        t: 'héllo',
        j: { a: [1, 'b'] },
        at: when,
        nothing: null,
        ints: [1, 2, 3],
        texts: ['x', 'y z'],
        big: '9007199254740993',
        yes: true,
      },
    ])
    expect(await sql.query('SELECT $1::int * $2::int AS product', [6, 7])).toEqual([
      { product: 42 },
    ])
  })

  it('Should return full results with fields and row counts', async () => {
    const result = await sql.query(
      `INSERT INTO ${schema}.items (name, qty) VALUES ($1, $2), ($3, $4) RETURNING id`,
      ['full-a', 1, 'full-b', 2],
      { fullResults: true },
    )
    expect(result.command).toBe('INSERT')
    expect(result.rowCount).toBe(2)
    expect(result.fields).toEqual([expect.objectContaining({ name: 'id', dataTypeID: 23 })])
  })

  it('Should run a batch in one transaction with the given isolation', async () => {
    const [inserted, level, count] = await sql.transaction(
      [
        sql`INSERT INTO ${sql.unsafe(`${schema}.items`)} (name, qty) VALUES (${'batch'}, ${5}) RETURNING qty`,
        sql`SELECT current_setting('transaction_isolation') AS level`,
        sql`SELECT count(*)::int AS n FROM ${sql.unsafe(`${schema}.items`)} WHERE name = ${'batch'}`,
      ],
      { isolationLevel: 'Serializable', readOnly: false },
    )
    expect(inserted).toEqual([{ qty: 5 }])
    expect(level).toEqual([{ level: 'serializable' }])
    expect(count).toEqual([{ n: 1 }])

    const [readOnly] = await sql.transaction(
      [sql`SELECT current_setting('transaction_read_only') AS ro`],
      { readOnly: true },
    )
    expect(readOnly).toEqual([{ ro: 'on' }])
  })

  it('Should roll a failing batch back whole', async () => {
    const before = await countItems()
    await expect(
      sql.transaction([
        sql`INSERT INTO ${sql.unsafe(`${schema}.items`)} (name) VALUES (${'rolled-back'})`,
        sql`SELECT 1 / 0`,
      ]),
    ).rejects.toMatchObject({ code: '22012' })
    expect(await countItems()).toBe(before)
  })

  it('Should pass a SQL error on with its PostgreSQL code and fields', async () => {
    await sql.query(`INSERT INTO ${schema}.items (name) VALUES ($1)`, ['dup'])
    await expect(
      sql.query(`INSERT INTO ${schema}.items (name) VALUES ($1)`, ['dup']),
    ).rejects.toMatchObject({
      name: 'NeonDbError',
      code: '23505',
      constraint: 'items_name_key',
      message: expect.stringContaining('duplicate key'),
    })
    await expect(sql`SELECT no_such_column`).rejects.toMatchObject({ code: '42703' })
  })

  it('Should refuse a connection string whose host is not allowed', async () => {
    await expect(neon(refusedUrl)`SELECT 1`).rejects.toThrow(/403.*not allowed/)
  })

  it('Should answer malformed requests with 400 and never log the connection string', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(bridge.fetchEndpoint, { method: 'POST', headers, body })
    const ok = { 'Neon-Connection-String': databaseUrl }
    expect((await post({}, '{"query":"SELECT 1"}')).status).toBe(400)
    expect((await post(ok, 'nope')).status).toBe(400)
    expect((await post(ok, '{"queries":[]}')).status).toBe(400)
    const level = await post(
      { ...ok, 'Neon-Batch-Isolation-Level': 'Chaos' },
      '{"queries":[{"query":"SELECT 1"}]}',
    )
    expect(level.status).toBe(400)
    expect(await level.json()).toEqual({ message: expect.stringContaining('Serializable') })
    // Without array mode rows are objects; values stay PostgreSQL text.
    const objects = await post(ok, '{"query":"SELECT 1 AS one","params":[]}')
    expect(await objects.json()).toMatchObject({ rows: [{ one: '1' }], rowAsArray: false })
    expect(logLines.join('\n')).not.toContain(databaseUrl)
  })
})

describe('Pool and Client over the WebSocket proxy', () => {
  it('Should query with parameters through a Pool', async () => {
    const pool = new Pool({ connectionString: databaseUrl })
    try {
      const { rows } = await pool.query('SELECT $1::int + 1 AS n, $2::text AS t', [41, 'ok'])
      expect(rows).toEqual([{ n: 42, t: 'ok' }])
      // Bigger than any frame: bytes are piped, not messages.
      const big = await pool.query("SELECT repeat('x', 200000) AS s FROM generate_series(1, 20)")
      expect(big.rows).toHaveLength(20)
      expect(big.rows.every((row: { s: string }) => row.s.length === 200000)).toBe(true)
    } finally {
      await pool.end()
    }
  })

  it('Should commit and roll back transactions, and survive an error', async () => {
    const pool = new Pool({ connectionString: databaseUrl })
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      await client.query(`INSERT INTO ${schema}.items (name) VALUES ($1)`, ['committed'])
      await client.query('COMMIT')
      await client.query('BEGIN')
      await client.query(`INSERT INTO ${schema}.items (name) VALUES ($1)`, ['rolled'])
      await client.query('ROLLBACK')
      const names = await direct.query(
        `SELECT name FROM ${schema}.items WHERE name IN ('committed', 'rolled')`,
      )
      expect(names.rows).toEqual([{ name: 'committed' }])

      await expect(client.query('SELECT 1 / 0')).rejects.toMatchObject({ code: '22012' })
      expect((await client.query('SELECT 1 AS still')).rows).toEqual([{ still: 1 }])
    } finally {
      client.release()
      await pool.end()
    }
  })

  it('Should connect a Client with pipelineConnect off (what SCRAM logins need)', async () => {
    // Local PostgreSQL trusts; with SCRAM the driver's default 'password' pipelining fails.
    expect(neonConfig.pipelineConnect).toBe(false)
    const client = new Client(databaseUrl)
    await client.connect()
    try {
      expect((await client.query('SELECT current_user AS who')).rows).toHaveLength(1)
    } finally {
      await client.end()
    }
  })

  it('Should refuse a target that is not allowed, closing with a policy error', async () => {
    const client = new Client(refusedUrl)
    await expect(client.connect()).rejects.toThrow()
    const code = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://${bridge.wsProxy}?address=10.0.0.1:5432`)
      ws.on('close', (closeCode) => resolve(closeCode))
      ws.on('error', reject)
    })
    expect(code).toBe(1008)
  })

  it('Should end proxied connections on both sides when the bridge closes', async () => {
    const own = await startNeonBridge({ allow: [databaseUrl] })
    const tag = `bridge-close-${randomUUID()}`
    const client = new Client({ connectionString: databaseUrl, application_name: tag })
    client.neonConfig.wsProxy = (host, port) => `${own.wsProxy}?address=${host}:${port}`
    await client.connect()
    const ended = new Promise<void>((resolve) => client.on('end', () => resolve()))
    client.on('error', () => {})
    const backends = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = '${tag}'`
    expect((await direct.query(backends)).rows).toEqual([{ n: 1 }])
    await own.close()
    await ended
    await expect
      .poll(async () => (await direct.query(backends)).rows[0].n, { timeout: 2000 })
      .toBe(0)
  })
})
