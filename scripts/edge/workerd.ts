/**
 * @module
 * Runs the bundled `edge/entry/workerd.ts` in workerd through Miniflare's API,
 * with the configuration as plain-text bindings (as `wrangler.toml` `[vars]`
 * and secrets would provide them).
 */
import { Miniflare } from 'miniflare'
import { bundleWorkerd } from './bundle-workerd.ts'

/** The compatibility date the Worker is tested with (the installed workerd's). */
export const COMPATIBILITY_DATE = '2026-04-26'

/** A running Worker. */
export interface WorkerdServer {
  /** Sends a request to the Worker; `path` is relative, e.g. `/score?topic=x`. */
  fetch(path: string): Promise<Response>
  stop(): Promise<void>
}

/** Options of {@link startWorkerd}. */
export interface StartWorkerdOptions {
  /** The Worker's configuration. */
  bindings: Record<string, string>
  /** A bundle made earlier, to start several Workers from one. @defaultValue a fresh bundle */
  script?: string
}

/** Bundles the Worker (unless given), starts workerd, and resolves once it is ready. */
export async function startWorkerd(options: StartWorkerdOptions): Promise<WorkerdServer> {
  const mf = new Miniflare({
    modules: true,
    script: options.script ?? (await bundleWorkerd()),
    bindings: options.bindings,
    compatibilityDate: COMPATIBILITY_DATE,
  })
  await mf.ready
  return {
    async fetch(path) {
      const res = await mf.dispatchFetch(new URL(path, 'http://edge.test').href)
      // Miniflare's Response is undici's: read it into a standard one so callers compare like with like.
      return new Response(await res.arrayBuffer(), {
        status: res.status,
        headers: [...res.headers],
      })
    },
    stop: () => mf.dispose(),
  }
}
