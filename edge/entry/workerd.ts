/**
 * @module
 * The edge app on Cloudflare workerd (module syntax). Configuration comes from
 * the Worker's `env` bindings, which only exist inside a request: the app is
 * built on the first request and kept for the life of the isolate.
 */
import type { Hono } from 'hono'
import { buildEdgeApp } from './build.ts'

let app: Hono | undefined

export default {
  fetch(
    request: Request,
    env: Record<string, unknown>,
    ctx: unknown,
  ): Response | Promise<Response> {
    app ??= buildEdgeApp(env, { runtime: 'workerd' })
    return app.fetch(request, env, ctx as Parameters<Hono['fetch']>[2])
  },
}
