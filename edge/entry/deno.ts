/**
 * @module
 * The edge app on Deno, for `deno serve` (`deno task edge`; needs
 * `--allow-env --allow-net`). The port comes from `deno serve --port`.
 */
import { buildEdgeApp } from './build.ts'

// The one Deno API used here, declared locally: the repo's TypeScript has no Deno types.
declare const Deno: { env: { toObject(): Record<string, string> } }

const app = buildEdgeApp(Deno.env.toObject(), { runtime: 'deno' })

export default { fetch: app.fetch }
