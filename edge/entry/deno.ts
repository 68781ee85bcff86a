/**
 * @module
 * The edge app on Deno, for `deno serve` (`deno task edge`; needs
 * `--allow-env --allow-net`). The port comes from `deno serve --port`.
 * A missing or bad setting (CORE_URL and EDGE_SERVICE_KEY are required)
 * stops the start with a message naming it.
 */
import { buildEdgeApp } from './build.ts'

// The Deno APIs used here, declared locally: the repo's TypeScript has no Deno types.
declare const Deno: { env: { toObject(): Record<string, string> } }
/** What `deno serve` passes beside each request: the peer's address, for `peerAddress`. */
interface ServeHandlerInfo {
  remoteAddr: { transport: string; hostname: string; port: number }
}

const app = buildEdgeApp(Deno.env.toObject(), { runtime: 'deno' })

export default {
  // The info becomes the app's env, where the client identity reads `remoteAddr`.
  fetch: (request: Request, info: ServeHandlerInfo) => app.fetch(request, info),
}
