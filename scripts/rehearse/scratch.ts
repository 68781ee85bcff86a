/**
 * @module
 * The rehearsal's own corner of the shared servers: a PostgreSQL schema
 * (`rehearsal_<run>`, reached through the URL's search_path, as the README
 * configures a schema) and every Redis key containing the run's id (queue
 * and cache prefixes, the API key's name). Dropped afterwards; nothing else
 * on the servers is touched.
 */
import { Redis } from 'ioredis'
import pg from 'pg'

/** The schema and key space of one run. */
export interface Scratch {
  schema: string
  /** DATABASE_URL for the containers: the base URL with the run's search_path. */
  databaseUrl: string
  redisUrl: string
  /** A connection of the rehearsal's own, for reading what the containers keep there. */
  redis: Redis
  migrationCount: () => Promise<number>
  signalCount: (topic: string) => Promise<number>
  drop: () => Promise<void>
  close: () => Promise<void>
}

/** Connects to both servers and names the run's schema and keys. */
export async function createScratch(
  runId: string,
  servers: { databaseUrl: string; redisUrl: string },
): Promise<Scratch> {
  const schema = `rehearsal_${runId}`
  const url = new URL(servers.databaseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  const db = new pg.Client({ connectionString: servers.databaseUrl })
  await db.connect()
  const redis = new Redis(servers.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true })
  await redis.connect()
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0)
  return {
    schema,
    databaseUrl: url.toString(),
    redisUrl: servers.redisUrl,
    redis,
    migrationCount: () => count(`SELECT count(*) AS n FROM ${schema}.schema_migrations`),
    signalCount: (topic) =>
      count(`SELECT count(*) AS n FROM ${schema}.signals WHERE topic = $1`, [topic]),
    async drop() {
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `*${runId}*`, 'COUNT', 1000)
        cursor = next
        if (keys.length > 0) await redis.unlink(...keys)
      } while (cursor !== '0')
    },
    async close() {
      await db.end()
      redis.disconnect()
    },
  }
}
