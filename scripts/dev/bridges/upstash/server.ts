/**
 * @module
 * Runs the Upstash bridge on a local port with its own ioredis connection,
 * for `npm start` and tests.
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { type BridgeLogger, createUpstashBridge } from './app.ts'

/** Options of {@link startUpstashBridge}. */
export interface StartUpstashBridgeOptions {
  /** Redis to serve, e.g. `redis://127.0.0.1:6379/0`; the database in the URL is the one served. */
  redisUrl: string
  /** The bearer token clients must send. */
  token: string
  /** Port to listen on. @defaultValue 0 (a free port) */
  port?: number
  /** Address to listen on. @defaultValue '127.0.0.1' */
  host?: string
  /** Largest request body. @defaultValue 1 MiB */
  maxBodyBytes?: number
  /**
   * How long a command may wait for Redis before the request gets 503.
   * @defaultValue 5000
   */
  commandTimeoutMs?: number
  /** @defaultValue a silent logger */
  logger?: BridgeLogger
}

/** A running Upstash bridge. */
export interface UpstashBridge {
  /** Base URL for `new Redis({ url })` from `@upstash/redis`, e.g. `http://127.0.0.1:41234`. */
  url: string
  /** Stops the server and the Redis connection; each step runs even if another fails. */
  close(): Promise<void>
}

/** How long {@link startUpstashBridge} waits for Redis before serving 503s until it answers. */
const FIRST_CONNECT_WAIT_MS = 2000
/** How long close() lets in-flight requests finish before cutting their sockets. */
const CLOSE_GRACE_MS = 1000

/**
 * Starts the bridge. It waits briefly for the first Redis connection but starts
 * even when Redis is down: requests then get 503 until ioredis reconnects.
 *
 * @example
 * const bridge = await startUpstashBridge({ redisUrl: 'redis://127.0.0.1:6379', token })
 * const redis = new Redis({ url: bridge.url, token }) // @upstash/redis
 */
export async function startUpstashBridge(
  options: StartUpstashBridgeOptions,
): Promise<UpstashBridge> {
  const logger = options.logger ?? pino({ enabled: false })
  const redis = new Redis(options.redisUrl, {
    protocol: 2,
    // Fail fast while disconnected (503) rather than queueing requests until a timeout.
    enableOfflineQueue: false,
    // Never resend a command after a lost connection: INCR and friends would apply twice.
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 5000,
    connectionName: 'upstash-bridge',
  })
  watchConnection(redis, logger)
  await firstConnection(redis)

  const app = createUpstashBridge({
    redis,
    token: options.token,
    logger,
    maxBodyBytes: options.maxBodyBytes,
  })
  const server = createServer(getRequestListener(app.fetch))
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1')
  try {
    await once(server, 'listening')
  } catch (error) {
    redis.disconnect()
    throw error
  }
  const { address, port } = server.address() as AddressInfo
  const host = address.includes(':') ? `[${address}]` : address
  const url = `http://${host}:${port}`
  logger.info({ url }, 'upstash bridge listening')

  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS)
      await closed
      clearTimeout(cut)
      try {
        redis.disconnect()
      } catch (error) {
        logger.warn({ err: error }, 'upstash bridge: Redis disconnect failed')
      }
    },
  }
}

/** Logs outages once each (ioredis emits an error per reconnect attempt). */
function watchConnection(redis: Redis, logger: BridgeLogger): void {
  let down = false
  redis.on('error', (error: Error) => {
    if (down) return
    down = true
    logger.warn({ reason: error.message }, 'upstash bridge: Redis connection failed')
  })
  redis.on('ready', () => {
    if (down) logger.info('upstash bridge: Redis connection back')
    down = false
  })
}

function firstConnection(redis: Redis): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      redis.off('ready', done)
      redis.off('error', done)
      resolve()
    }
    const timer = setTimeout(done, FIRST_CONNECT_WAIT_MS)
    redis.once('ready', done)
    redis.once('error', done)
  })
}
