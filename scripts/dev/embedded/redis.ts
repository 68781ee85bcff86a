/**
 * @module
 * A private `redis-server` on a free port: for `npm start` when `REDIS_URL` is
 * unset (with an append-only file), and for fault tests that stop Redis
 * without touching the shared one.
 */
import { once } from 'node:events'
import { mkdir } from 'node:fs/promises'
import { Redis } from 'ioredis'
import { freePort } from './free-port.ts'
import { spawnServer, waitUntil } from './process.ts'
import { findExecutable } from './which.ts'

/** A running private Redis. */
export interface PrivateRedis {
  url: string
  port: number
  stop: () => Promise<void>
  /** Sends `signal` (SIGKILL: a crash, no final write) and resolves once the process is gone. */
  kill: (signal: NodeJS.Signals) => Promise<void>
}

/** Options of {@link startPrivateRedis}. */
export interface PrivateRedisOptions {
  /** Working directory: the append-only file when `persist`. */
  dir: string
  /**
   * Keep an append-only file (fsync every second) in `dir`, as a queue Redis
   * must; off for fault tests that want a Redis that forgets.
   * @defaultValue false
   */
  persist?: boolean
  /** @defaultValue a free port */
  port?: number
}

/** Starts `redis-server` from PATH, or throws saying it is not installed. */
export async function startPrivateRedis(options: PrivateRedisOptions): Promise<PrivateRedis> {
  const binary = await findExecutable('redis-server')
  if (!binary) throw new Error('redis-server is not on PATH (Debian: apt-get install redis-server)')
  await mkdir(options.dir, { recursive: true })
  const port = options.port ?? (await freePort())
  const server = spawnServer(binary, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    options.persist ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
    // BullMQ's requirement: an evicting policy would drop queue keys.
    '--maxmemory-policy',
    'noeviction',
    '--dir',
    options.dir,
  ])
  await waitUntil(server, () => ping(port), `redis-server on port ${port}`, 10_000)
  const kill = async (signal: NodeJS.Signals) => {
    const { child } = server
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill(signal)
    await exited
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => server.stop(), kill }
}

async function ping(port: number): Promise<boolean> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    retryStrategy: () => null,
  })
  client.on('error', () => {})
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } finally {
    client.disconnect()
  }
}
