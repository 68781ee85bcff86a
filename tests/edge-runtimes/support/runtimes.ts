/**
 * @module
 * The edge app on each runtime behind one shape, so a test sends the same
 * requests to all of them: Node (in process, `app.request`), Deno
 * (`deno serve`) and workerd (Miniflare). Each is built from the same
 * environment record by `edge/entry/build.ts`.
 */

import { buildEdgeApp } from '../../../edge/entry/build.ts'
import { denoAvailable, startDeno } from '../../../scripts/edge/deno.ts'
import { startWorkerd } from '../../../scripts/edge/workerd.ts'

/** Runtime names, in the order tests report them. */
export const RUNTIME_NAMES = ['node', 'deno', 'workerd'] as const
/** A runtime name. */
export type RuntimeName = (typeof RUNTIME_NAMES)[number]

/** One running app. */
export interface EdgeRuntime {
  name: RuntimeName
  /** Sends `GET path` (e.g. `/score?topic=x`). */
  get(path: string): Promise<Response>
  stop(): Promise<void>
}

/** Why a runtime cannot run here, or undefined when all can. */
export function missingRuntime(): string | undefined {
  if (!denoAvailable())
    return 'the deno binary is not installed (npm install puts it in node_modules/.bin)'
  return undefined
}

/** Starts the app built from `env` on runtime `name`. */
export async function startRuntime(
  name: RuntimeName,
  env: Record<string, string>,
  options: { workerdScript?: string } = {},
): Promise<EdgeRuntime> {
  switch (name) {
    case 'node': {
      const app = buildEdgeApp(env, { runtime: 'node' })
      return { name, get: async (path) => app.request(path), stop: async () => {} }
    }
    case 'deno': {
      const server = await startDeno({ env })
      return { name, get: (path) => fetch(server.url + path), stop: server.stop }
    }
    case 'workerd': {
      const worker = await startWorkerd({ bindings: env, script: options.workerdScript })
      return { name, get: worker.fetch, stop: worker.stop }
    }
  }
}

/** Starts `env` on every runtime at once; stops those that started if one fails. */
export async function startAllRuntimes(
  envOf: (name: RuntimeName) => Record<string, string>,
  options: { workerdScript?: string } = {},
): Promise<Record<RuntimeName, EdgeRuntime>> {
  const settled = await Promise.allSettled(
    RUNTIME_NAMES.map((name) => startRuntime(name, envOf(name), options)),
  )
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) {
    await stopAll(started)
    throw failed.reason
  }
  return Object.fromEntries(started.map((r) => [r.name, r])) as Record<RuntimeName, EdgeRuntime>
}

/** Stops every runtime; one failing to stop does not keep the others running. */
export async function stopAll(runtimes: Iterable<EdgeRuntime>): Promise<void> {
  const results = await Promise.allSettled([...runtimes].map((r) => r.stop()))
  const failed = results.find((r) => r.status === 'rejected')
  if (failed) throw failed.reason
}
