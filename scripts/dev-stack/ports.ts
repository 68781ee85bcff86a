/** @module Ports for the stack: the documented default when free, else any free one. */
import { createServer } from 'node:net'
import { freePort } from '../dev/embedded/index.ts'

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** `preferred` if nothing listens there, else a free port (so a taken port never stops `npm start`). */
export async function portFor(preferred: number): Promise<number> {
  return (await isFree(preferred)) ? preferred : freePort()
}
