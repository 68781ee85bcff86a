/**
 * @module
 * Running a private server process: spawn it, wait until it answers, stop it
 * (SIGTERM, then SIGKILL after a grace period) and keep its output for errors.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process'
import { once } from 'node:events'

/** A private server that can be stopped. */
export interface ServerProcess {
  child: ChildProcess
  /** Last lines the process printed, for error messages. */
  output: () => string
  stop: (graceMs?: number) => Promise<void>
}

/**
 * Spawns `command` and keeps its last 50 lines of output. The server gets its
 * own process group: a terminal's Ctrl-C signals the whole foreground group,
 * and the databases must outlive the services that drain into them; whoever
 * started the server stops it last.
 */
export function spawnServer(
  command: string,
  args: string[],
  options: SpawnOptions & { stopSignal?: NodeJS.Signals } = {},
): ServerProcess {
  const { stopSignal = 'SIGTERM', ...spawnOptions } = options
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...spawnOptions,
  })
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean))
    lines.splice(0, Math.max(0, lines.length - 50))
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  child.on('error', (err) => lines.push(String(err)))
  return {
    child,
    output: () => lines.join('\n'),
    stop: async (graceMs = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill(stopSignal)
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Polls `probe` until it resolves true, the process exits, or `timeoutMs` passes. */
export async function waitUntil(
  server: ServerProcess,
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`${what} exited with code ${server.child.exitCode}:\n${server.output()}`)
    }
    if (await probe().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await server.stop(1000)
  throw new Error(`${what} did not answer within ${timeoutMs} ms:\n${server.output()}`)
}
