/**
 * @module
 * DESIGN.md "Embedded defaults": use the configured server, else start a
 * private one in `.data/`, and say which was taken.
 */
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startPrivatePostgres } from './postgres.ts'
import { startPrivateRedis } from './redis.ts'

/** A dependency the stack will use, where it came from, and how to stop it. */
export interface ResolvedServer {
  url: string
  /** Human-readable origin, e.g. `DATABASE_URL` or `private cluster in .data/pg`. */
  source: string
  stop: () => Promise<void>
}

const nothingToStop = async () => {}

/** `DATABASE_URL`, else a private cluster from the local PostgreSQL binaries. */
export async function resolvePostgres(
  url: string | undefined,
  dataDir: string,
): Promise<ResolvedServer> {
  if (url) return { url, source: 'DATABASE_URL', stop: nothingToStop }
  const dir = join(dataDir, 'pg')
  // As root in a folder the postgres user cannot enter (a mode-700 home), the
  // cluster lives under the temp folder instead, one per checkout.
  const checkout = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)
  const fallbackDataDir = join(tmpdir(), 'mockup-platform-pg', checkout)
  try {
    const server = await startPrivatePostgres({ dataDir: dir, fallbackDataDir })
    return { url: server.url, source: `private cluster in ${server.dataDir}`, stop: server.stop }
  } catch (err) {
    throw new Error(
      `No DATABASE_URL and no private PostgreSQL could start (${(err as Error).message}). ` +
        'Set DATABASE_URL, or install PostgreSQL (Debian: apt-get install postgresql).',
      { cause: err },
    )
  }
}

/** `REDIS_URL`, else a private `redis-server` from PATH. */
export async function resolveRedis(
  url: string | undefined,
  dataDir: string,
): Promise<ResolvedServer> {
  if (url) return { url, source: 'REDIS_URL', stop: nothingToStop }
  const dir = join(dataDir, 'redis')
  try {
    // Queues live here: an append-only file, so a restart keeps every job.
    const server = await startPrivateRedis({ dir, persist: true })
    return {
      url: server.url,
      source: `private redis-server on port ${server.port} (append-only file in ${dir})`,
      stop: server.stop,
    }
  } catch (err) {
    throw new Error(
      `No REDIS_URL and no private Redis could start (${(err as Error).message}). ` +
        'Set REDIS_URL, or install Redis (Debian: apt-get install redis-server).',
      { cause: err },
    )
  }
}
