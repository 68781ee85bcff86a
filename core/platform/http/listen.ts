/**
 * @module
 * Serving a Hono app on Node with a clean shutdown: used by every service entry.
 */
import { type ServerType, serve } from '@hono/node-server'

/** What a Hono app (of any Env) offers to the Node server. */
export type FetchHandler = Parameters<typeof serve>[0]['fetch']

/** A listening server. */
export interface Listening {
  port: number
  server: ServerType
  /** Stops accepting, waits for in-flight requests, then resolves. */
  close: () => Promise<void>
}

/** Serves a Hono app on Node; resolves with the bound port once listening. */
export function listen(
  app: { fetch: FetchHandler },
  port: number,
  hostname = '0.0.0.0',
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      resolve({
        port: info.port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            // Keep-alive sockets would hold close() open until they time out.
            if ('closeIdleConnections' in server) server.closeIdleConnections()
          }),
      })
    })
    server.once('error', reject)
  })
}
