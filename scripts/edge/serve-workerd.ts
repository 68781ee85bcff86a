/**
 * @module
 * `npm run edge:workerd`: the edge app in workerd (Miniflare) on `PORT`
 * (default 8788), configured from this process's environment the way
 * `wrangler.toml` `[vars]` and secrets configure the deployed Worker. For
 * local runs; deploys go through wrangler.
 */
import { Miniflare } from 'miniflare'
import { edgeConfigSchema } from '../../edge/config/index.ts'
import { bundleWorkerd } from './bundle-workerd.ts'
import { COMPATIBILITY_DATE } from './workerd.ts'

// Only the edge variables become bindings: the Worker sees nothing else of the shell.
const bindings = Object.fromEntries(
  Object.keys(edgeConfigSchema.shape).flatMap((name) => {
    const value = process.env[name]
    return value === undefined ? [] : [[name, value]]
  }),
)
const mf = new Miniflare({
  modules: true,
  script: await bundleWorkerd(),
  bindings,
  compatibilityDate: COMPATIBILITY_DATE,
  host: '127.0.0.1',
  port: Number(process.env.PORT ?? 8788),
})
process.stdout.write(`edge (workerd) listening on ${await mf.ready}\n`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    mf.dispose().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stopping workerd failed: ${String(err)}\n`)
        process.exit(1)
      },
    )
  })
}
