/**
 * @module
 * The WebSocket-to-TCP proxy the Neon driver's `Pool`/`Client` connect through
 * (`wsProxy`): each WebSocket carries one PostgreSQL connection's bytes.
 */
import type { IncomingMessage, Server } from 'node:http'
import { connect, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import type { AllowList } from './allow-list.ts'
import { parseAddress } from './allow-list.ts'
import type { BridgeLogger } from './logger.ts'

/** WebSocket close code for a refused target (RFC 6455 "policy violation"). */
const POLICY_VIOLATION = 1008
/** WebSocket close code when PostgreSQL cannot be reached or fails. */
const UPSTREAM_FAILURE = 1011
/** Bytes a client may send before PostgreSQL answers the TCP connect; more closes it. */
const MAX_PENDING_BYTES = 1024 * 1024
/** Unsent WebSocket bytes above which reading from PostgreSQL pauses. */
const HIGH_WATER_BYTES = 1024 * 1024

/** A proxy attached to an HTTP server. */
export interface WsProxy {
  /** Ends every proxied connection (both ends) and stops accepting new ones. */
  close(): void
}

/**
 * Serves WebSocket upgrades on any path of `server`: reads `?address=host:port`,
 * refuses targets outside `allow` (close 1008), then pipes bytes both ways.
 * Frame boundaries do not line up with PostgreSQL messages, so bytes are
 * forwarded as they come, always as binary frames.
 */
export function attachWsProxy(server: Server, allow: AllowList, logger: BridgeLogger): WsProxy {
  // Compression would only cost CPU on loopback, and the Neon driver does not negotiate it.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  // PostgreSQL sides of open tunnels; wss.clients tracks the WebSocket sides.
  const upstreams = new Set<Socket>()

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      const address = new URL(request.url ?? '/', 'http://proxy').searchParams.get('address') ?? ''
      const target = parseAddress(address)
      if (!target || !allow.allows(target.host, target.port)) {
        logger.warn({ address }, 'neon ws proxy: target not allowed')
        ws.close(POLICY_VIOLATION, 'address not allowed')
        return
      }
      const tcp = connect(target.port, target.host)
      upstreams.add(tcp)
      tcp.on('close', () => upstreams.delete(tcp))
      pipe(ws, tcp, logger)
    })
  }
  server.on('upgrade', onUpgrade)

  return {
    close() {
      server.off('upgrade', onUpgrade)
      for (const ws of wss.clients) ws.terminate()
      for (const tcp of upstreams) tcp.destroy()
      upstreams.clear()
      wss.close()
    },
  }
}

function pipe(ws: WebSocket, tcp: Socket, logger: BridgeLogger): void {
  let pending: Buffer[] | undefined = []
  let pendingBytes = 0
  tcp.setNoDelay(true)

  ws.on('message', (data: RawData) => {
    const chunk = toBuffer(data)
    if (pending) {
      // Frames arrive before the TCP connect completes: keep them, in order.
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes > MAX_PENDING_BYTES) {
        tcp.destroy()
        ws.close(POLICY_VIOLATION, 'too much data before connect')
      }
      return
    }
    if (!tcp.write(chunk)) ws.pause()
  })
  tcp.on('drain', () => ws.resume())
  tcp.on('connect', () => {
    for (const chunk of pending ?? []) tcp.write(chunk)
    pending = undefined
  })

  tcp.on('data', (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return
    ws.send(chunk, { binary: true }, () => {
      if (tcp.isPaused() && ws.bufferedAmount < HIGH_WATER_BYTES) tcp.resume()
    })
    if (ws.bufferedAmount >= HIGH_WATER_BYTES) tcp.pause()
  })

  // Close both ends together, whichever goes first.
  ws.on('close', () => tcp.destroySoon())
  ws.on('error', (error) => {
    logger.debug({ reason: error.message }, 'neon ws proxy: client socket error')
    tcp.destroy()
  })
  tcp.on('error', (error) => {
    logger.warn({ reason: error.message }, 'neon ws proxy: PostgreSQL socket error')
    if (ws.readyState === ws.OPEN) ws.close(UPSTREAM_FAILURE, 'database connection failed')
  })
  tcp.on('close', () => {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close()
  })
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
