/**
 * @module
 * The core HTTP app: profiling, JSON errors, a body limit and API-key auth.
 * Capabilities add their routes through {@link CoreRoutes}; the app knows no
 * Node APIs, so it is tested with `app.request()`.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { type ApiKey, apiKeyAuth } from '../../edge/auth/index.ts'
import type { ErrorLogger } from '../../edge/errors/index.ts'
import { ApiError, errorHandler, notFoundHandler } from '../../edge/errors/index.ts'
import {
  addProfiling,
  type ObserveDuration,
  type ProfilingLogger,
} from '../../edge/profiling/index.ts'

/** Adds a capability's routes; `requireKey` guards mutating and private ones. */
export type CoreRoutes = (app: Hono, requireKey: ReturnType<typeof apiKeyAuth>) => void

/** Options of {@link createCoreApp}. */
export interface CoreAppOptions {
  logger: ProfilingLogger & ErrorLogger
  observe: ObserveDuration
  apiKeys: readonly ApiKey[]
  routes?: readonly CoreRoutes[]
  /** Largest request body accepted. @defaultValue 1 MiB */
  maxBodyBytes?: number
}

/** Builds the core app. */
export function createCoreApp(options: CoreAppOptions): Hono {
  const app = new Hono()
  addProfiling(app, { service: 'core', logger: options.logger, observe: options.observe })
  app.onError(errorHandler(options.logger))
  app.notFound(notFoundHandler)
  const maxSize = options.maxBodyBytes ?? 1024 * 1024
  app.use(
    '*',
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `Request body exceeds ${maxSize} bytes`)
      },
    }),
  )
  const requireKey = apiKeyAuth({ keys: options.apiKeys })

  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  /** Lets a client check its key; answers the key's name, never the secret. */
  app.get('/v1/whoami', requireKey, (c) => c.json({ key: c.get('apiKeyName') }))
  for (const add of options.routes ?? []) add(app, requireKey)
  return app
}
