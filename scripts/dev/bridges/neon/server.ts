/**
 * @module
 * Runs both Neon bridges on one local port: WebSocket upgrades go to the
 * TCP proxy (`Pool`/`Client`), `POST /sql` to the SQL endpoint (`neon()`).
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { createAllowList } from './allow-list.ts'
import { type BridgeLogger, silentLogger } from './logger.ts'
import { createPoolRegistry } from './pools.ts'
import { createNeonSqlApp } from './sql-app.ts'
import { attachWsProxy } from './ws-proxy.ts'

/** Options of {@link startNeonBridge}. */
export interface StartNeonBridgeOptions {
  /**
   * Targets the bridges may reach: `host:port`, `host`, or a `postgres://` URL
   * (only its host and port count). Usually just the configured PostgreSQL.
   */
  allow: string[]
  /** Port to listen on. @defaultValue 0 (a free port) */
  port?: number
  /** Address to listen on. @defaultValue '127.0.0.1' */
  host?: string
  /** Pools the SQL endpoint keeps, one per connection string. @defaultValue 4 */
  maxPools?: number
  /** Connections per pool. @defaultValue 5 */
  poolSize?: number
  /** Largest SQL request body. @defaultValue 4 MiB */
  maxBodyBytes?: number
  /** @defaultValue a silent logger */
  logger?: BridgeLogger
}

/** A running Neon bridge: the values the Neon driver's config needs. */
export interface NeonBridge {
  /** Base URL of the server, e.g. `http://127.0.0.1:41234`. */
  url: string
  /** For `neonConfig.fetchEndpoint`: `<url>/sql`. */
  fetchEndpoint: string
  /**
   * For `neonConfig.wsProxy` as a string, e.g. `127.0.0.1:41234/v2`: the driver
   * appends `?address=host:port` and prefixes `ws://`.
   */
  wsProxy: string
  /** Ends proxied connections, the server and the pools; every step runs even if one fails. */
  close(): Promise<void>
}

/** How long close() lets in-flight requests finish before cutting their sockets. */
const CLOSE_GRACE_MS = 1000

/**
 * Starts the bridge.
 *
 * @example
 * const bridge = await startNeonBridge({ allow: [process.env.DATABASE_URL] })
 * configureNeonForBridge(neonConfig, bridge)
 * const sql = neon(process.env.DATABASE_URL)
 */
export async function startNeonBridge(options: StartNeonBridgeOptions): Promise<NeonBridge> {
  const logger = options.logger ?? silentLogger()
  const allow = createAllowList(options.allow)
  const pools = createPoolRegistry({
    logger,
    maxPools: options.maxPools,
    poolSize: options.poolSize,
  })
  const app = createNeonSqlApp({ allow, pools, logger, maxBodyBytes: options.maxBodyBytes })
  const server = createServer(getRequestListener(app.fetch))
  const proxy = attachWsProxy(server, allow, logger)
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1')
  await once(server, 'listening')
  const { address, port } = server.address() as AddressInfo
  const authority = `${address.includes(':') ? `[${address}]` : address}:${port}`
  logger.info({ url: `http://${authority}`, allow: allow.entries }, 'neon bridge listening')

  return {
    url: `http://${authority}`,
    fetchEndpoint: `http://${authority}/sql`,
    wsProxy: `${authority}/v2`,
    async close() {
      const steps: [string, () => void | Promise<void>][] = [
        ['proxy', () => proxy.close()],
        ['server', () => closeServer(server)],
        ['pools', () => pools.close()],
      ]
      for (const [name, step] of steps) {
        try {
          await step()
        } catch (error) {
          logger.warn({ err: error, step: name }, 'neon bridge: a close step failed')
        }
      }
    },
  }
}

async function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS)
  await closed
  clearTimeout(cut)
}
