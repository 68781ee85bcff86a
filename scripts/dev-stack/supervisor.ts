/**
 * @module
 * Runs the stack's services as child processes (each its own Node process, as
 * in production), waits for each one's `/readyz`, and stops them all together:
 * SIGTERM first, SIGKILL after a grace period, so no orphan is left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { resolve } from 'node:path'

/** One service of the stack. */
export interface ServiceSpec {
  name: string
  /** Entry file, run with Node and the tsx loader. */
  entry: string
  env: Record<string, string>
  /** Port of its metrics server, polled for `/readyz`. */
  metricsPort: number
  /** Where it serves, for the summary. */
  url: string
}

/** A started service. */
export interface RunningService {
  spec: ServiceSpec
  child: ChildProcess
}

const REPO_ROOT = resolve(import.meta.dirname, '../..')

/** Starts a service; its output is prefixed with its name. */
export function startService(spec: ServiceSpec, onOutput: (line: string) => void): RunningService {
  // node --import tsx: one process per service, not tsx's CLI wrapper plus a child.
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) onOutput(`[${spec.name}] ${line}`)
  }
  child.stdout?.on('data', forward)
  child.stderr?.on('data', forward)
  return { spec, child }
}

/** Resolves when `/readyz` answers 200; rejects if the process exits first or time runs out. */
export async function waitReady(service: RunningService, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const url = `http://127.0.0.1:${service.spec.metricsPort}/readyz`
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) {
      throw new Error(
        `${service.spec.name} exited with code ${service.child.exitCode} while starting`,
      )
    }
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false,
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${service.spec.name} was not ready within ${timeoutMs / 1000} s (${url})`)
}

/** Stops every service in parallel: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopAll(
  services: readonly RunningService[],
  graceMs = 10_000,
): Promise<void> {
  await Promise.all(
    services.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    }),
  )
}
