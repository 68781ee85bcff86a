/**
 * @module
 * A TCP proxy on a free loopback port for fault tests: it forwards to a real
 * server until told to stall (hold every byte: a dependency that stops
 * answering) or cut (drop every connection and refuse new ones).
 */
import { createConnection, createServer, type Socket } from 'node:net'

/** A running proxy. */
export interface TcpProxy {
  port: number
  url: (scheme: string, path?: string) => string
  /** `target` (the server's own URL) with its host and port replaced by the proxy's: credentials, database and options kept. */
  through: (target: string) => string
  /** Stop forwarding in both directions; bytes are held, connections stay open. */
  stall: () => void
  /** Forward again (held bytes are released). */
  resume: () => void
  /** Destroy every connection and refuse new ones until `resume()`. */
  cut: () => void
  close: () => Promise<void>
}

/** Starts a proxy to `targetHost:targetPort`. */
export async function startTcpProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<TcpProxy> {
  let mode: 'pass' | 'stall' | 'cut' = 'pass'
  const pairs = new Set<[Socket, Socket]>()
  const server = createServer((client) => {
    if (mode === 'cut') {
      client.destroy()
      return
    }
    const upstream = createConnection({ port: targetPort, host: targetHost })
    const pair: [Socket, Socket] = [client, upstream]
    pairs.add(pair)
    // A connection opened while stalled is piped by resume(), once: piping it
    // here too would send every byte twice.
    if (mode === 'stall') for (const s of pair) s.pause()
    else {
      client.pipe(upstream)
      upstream.pipe(client)
    }
    const end = () => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  const each = (fn: (s: Socket) => void) => {
    for (const pair of pairs) pair.forEach(fn)
  }
  return {
    port,
    url: (scheme, path = '') => `${scheme}://127.0.0.1:${port}${path}`,
    through: (target) => {
      const url = new URL(target)
      url.hostname = '127.0.0.1'
      url.port = String(port)
      return url.toString()
    },
    stall: () => {
      mode = 'stall'
      // Unpiping and pausing holds data in the kernel and stream buffers.
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        client.pause()
        upstream.pause()
      }
    },
    resume: () => {
      mode = 'pass'
      for (const [client, upstream] of pairs) {
        client.pipe(upstream)
        upstream.pipe(client)
      }
    },
    cut: () => {
      mode = 'cut'
      each((s) => s.destroy())
    },
    close: () =>
      new Promise<void>((resolve) => {
        each((s) => s.destroy())
        server.close(() => resolve())
      }),
  }
}
