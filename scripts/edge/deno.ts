/**
 * @module
 * Runs `edge/entry/deno.ts` under `deno serve` (the `deno` npm package's
 * binary) on a free port, for the edge runtime tests and benchmark.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { freePort } from '../dev/embedded/index.ts'
import { spawnServer, waitUntil } from '../dev/embedded/process.ts'

const ROOT = resolve(import.meta.dirname, '../..')

/** The Deno binary the `deno` dev dependency installs. */
export const DENO_BINARY = resolve(ROOT, 'node_modules/.bin/deno')

/** The Deno entry, relative to the repository root. */
export const DENO_ENTRY = 'edge/entry/deno.ts'

/** Whether the Deno binary is installed (`npm install` puts it there). */
export const denoAvailable = (): boolean => existsSync(DENO_BINARY)

/** A running Deno server. */
export interface DenoServer {
  /** e.g. `http://127.0.0.1:41234` */
  url: string
  /** The process's last output lines, for error messages. */
  output: () => string
  stop: () => Promise<void>
}

/** Options of {@link startDeno}. */
export interface StartDenoOptions {
  /** The app's whole environment: nothing else of this process's is passed on. */
  env: Record<string, string>
  /** CPU list for `taskset` (benchmarks pin the server). */
  cpus?: string
  /** @defaultValue 30000 (the first start compiles the npm packages) */
  startTimeoutMs?: number
}

/** Starts `deno serve` and resolves once `/healthz` answers 200. */
export async function startDeno(options: StartDenoOptions): Promise<DenoServer> {
  if (!denoAvailable()) throw new Error(`Deno is not installed at ${DENO_BINARY}: run npm install`)
  const port = await freePort()
  const args = [
    'serve',
    '--quiet',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    // The entry reads its configuration from the environment and calls Redis and Neon.
    '--allow-env',
    '--allow-net',
    DENO_ENTRY,
  ]
  const [command, argv] = options.cpus
    ? ['taskset', ['-c', options.cpus, DENO_BINARY, ...args]]
    : [DENO_BINARY, args]
  const server = spawnServer(command, argv, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}),
      DENO_NO_UPDATE_CHECK: '1',
      ...options.env,
    },
  })
  const url = `http://127.0.0.1:${port}`
  await waitUntil(
    server,
    async () => (await fetch(`${url}/healthz`)).status === 200,
    `deno serve ${DENO_ENTRY}`,
    options.startTimeoutMs ?? 30_000,
  )
  return { url, output: server.output, stop: () => server.stop(5000) }
}
