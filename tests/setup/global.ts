/**
 * @module
 * Vitest global setup: the suite runs against the real PostgreSQL and Redis
 * (DESIGN.md "Tests"). When either is down we stop with a message saying which,
 * instead of letting every test time out or silently switching to an embedded one.
 */
import { createConnection } from 'node:net'
import { testDatabaseUrl, testRedisUrl } from '../support/env.ts'

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || defaultPort) })
    socket.setTimeout(2000)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(false))
  })
}

export default async function setup(): Promise<void> {
  const missing: string[] = []
  if (!(await reachable(testDatabaseUrl(), 5432))) {
    missing.push(`PostgreSQL at ${testDatabaseUrl()} (TEST_DATABASE_URL)`)
  }
  if (!(await reachable(testRedisUrl(), 6379))) {
    missing.push(`Redis at ${testRedisUrl()} (TEST_REDIS_URL)`)
  }
  if (missing.length > 0) {
    throw new Error(
      `The tests need real servers and these do not answer: ${missing.join('; ')}. ` +
        'Start them (see README "Tests") or point the variables at running ones.',
    )
  }
}
