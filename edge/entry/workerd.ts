/**
 * @module
 * The edge app on Cloudflare workerd (module syntax). Configuration comes from
 * the Worker's `env` bindings, which only exist inside a request: the app is
 * built on the first request and kept for the life of the isolate. A missing
 * or bad setting (CORE_URL and EDGE_SERVICE_KEY are required) is logged once,
 * naming it, and every request is answered 500 until the Worker is fixed.
 */
import type { Hono } from 'hono'
import { EdgeConfigError } from '../config/index.ts'
import { buildEdgeApp } from './build.ts'

let app: Hono | undefined
let misconfigured: EdgeConfigError | undefined

function refuse(): Response {
  const error = { code: 'misconfigured', message: 'The edge is misconfigured: see its logs' }
  return Response.json({ error }, { status: 500 })
}

export default {
  fetch(
    request: Request,
    env: Record<string, unknown>,
    ctx: unknown,
  ): Response | Promise<Response> {
    if (misconfigured) return refuse()
    try {
      app ??= buildEdgeApp(env, { runtime: 'workerd' })
    } catch (err) {
      if (!(err instanceof EdgeConfigError)) throw err
      // The names of the settings, never their values: safe for the Worker's logs.
      misconfigured = err
      console.error(err.message)
      return refuse()
    }
    return app.fetch(request, env, ctx as Parameters<Hono['fetch']>[2])
  },
}
