/**
 * @module
 * One `pg.Pool` per connection string the SQL endpoint sees, kept open between
 * requests and bounded in number. Every pool returns values as PostgreSQL
 * text, which is what `Neon-Raw-Text-Output: true` asks for.
 */
import pg from 'pg'
import type { BridgeLogger } from './logger.ts'

/** Pools by connection string. */
export interface PoolRegistry {
  /** The pool for `connectionString`, made on first use. */
  get(connectionString: string): pg.Pool
  /** Ends every pool; waits for all, even when one fails. */
  close(): Promise<void>
}

/** Options of {@link createPoolRegistry}. */
export interface PoolRegistryOptions {
  /** Pools kept at most; the least recently used one is ended beyond that. @defaultValue 4 */
  maxPools?: number
  /** Connections per pool. @defaultValue 5 */
  poolSize?: number
  logger: BridgeLogger
}

/** Every type parsed as itself: the Neon driver parses the text on its side. */
const RAW_TEXT_TYPES = { getTypeParser: () => (value: string) => value }

/** How long a request waits for a PostgreSQL connection before failing. */
const CONNECT_TIMEOUT_MS = 5000

/** Builds an empty registry. */
export function createPoolRegistry(options: PoolRegistryOptions): PoolRegistry {
  const { logger } = options
  const maxPools = options.maxPools ?? 4
  const poolSize = options.poolSize ?? 5
  if (!Number.isInteger(maxPools) || maxPools < 1) throw new Error('maxPools must be at least 1')
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error('poolSize must be at least 1')
  const pools = new Map<string, pg.Pool>()

  const logEndFailure = (error: unknown) => {
    logger.warn({ err: error }, 'neon sql bridge: ending a pool failed')
  }

  return {
    get(connectionString) {
      const existing = pools.get(connectionString)
      if (existing) {
        // Re-insert so Map order is least recently used first.
        pools.delete(connectionString)
        pools.set(connectionString, existing)
        return existing
      }
      const oldest = pools.entries().next().value
      if (oldest && pools.size >= maxPools) {
        pools.delete(oldest[0])
        oldest[1].end().catch(logEndFailure)
      }
      const pool = new pg.Pool({
        connectionString,
        max: poolSize,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        types: RAW_TEXT_TYPES,
      })
      // An idle connection dropped by the server emits here; without a listener it would crash.
      pool.on('error', (error) => {
        logger.warn({ reason: error.message }, 'neon sql bridge: idle connection failed')
      })
      pools.set(connectionString, pool)
      return pool
    },
    async close() {
      const all = [...pools.values()]
      pools.clear()
      await Promise.all(all.map((pool) => pool.end().catch(logEndFailure)))
    },
  }
}
