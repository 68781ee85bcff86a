/**
 * @module
 * The core HTTP app: profiling, JSON errors, a body limit and API-key auth.
 * Capabilities add their routes through {@link CoreRoutes}; the app knows no
 * Node APIs, so it is tested with `app.request()`.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import { type ApiKey, apiKeyAuth } from '../../edge/auth/index.ts'
import { corsAllowList } from '../../edge/cors/index.ts'
import type { ErrorLogger } from '../../edge/errors/index.ts'
import { ApiError, errorHandler, notFoundHandler } from '../../edge/errors/index.ts'
import { clientIdentity, type TrustProxy } from '../../edge/identity/index.ts'
import {
  addProfiling,
  logThrough,
  type ObserveDuration,
  type ProfilingLogger,
  type RequestLog,
} from '../../edge/profiling/index.ts'
import { mountRateLimit, type RateLimitSettings } from '../../edge/rate-limit/index.ts'
import { coreOutage } from './outage.ts'

/** Adds a capability's routes; `requireKey` guards mutating and private ones. */
export type CoreRoutes = (app: Hono, requireKey: ReturnType<typeof apiKeyAuth>) => void

/** Options of {@link createCoreApp}. */
export interface CoreAppOptions {
  logger: ProfilingLogger & ErrorLogger
  observe: ObserveDuration
  /** The request line. @defaultValue `logger.info(entry, 'request')` */
  requestLog?: RequestLog
  apiKeys: readonly ApiKey[]
  routes?: readonly CoreRoutes[]
  /** Largest request body accepted. @defaultValue 1 MiB */
  maxBodyBytes?: number
  /** Per-key/per-address limits on every route but /healthz (`RATE_LIMIT_PER_MINUTE`). @defaultValue none */
  rateLimit?: RateLimitSettings
  /** Origins the console may call from (`CORS_ORIGINS`). @defaultValue none: same-origin only */
  corsOrigins?: readonly string[]
  /** Proxies whose forwarding headers name the client (`TRUST_PROXY`). @defaultValue trust nothing */
  trustProxy?: TrustProxy
  /**
   * The edge's credential (`EDGE_SERVICE_KEY`): a call bearing it is the
   * edge's, on behalf of the caller it names. @defaultValue none: no edge can vouch
   */
  edgeServiceKey?: string
}

/** Builds the core app. */
export function createCoreApp(options: CoreAppOptions): Hono {
  const app = new Hono()
  addProfiling(app, {
    service: 'core',
    log: options.requestLog ?? logThrough(options.logger),
    observe: options.observe,
  })
  app.onError(errorHandler(options.logger, coreOutage))
  app.notFound(notFoundHandler)
  const allowCors = corsAllowList({ origins: options.corsOrigins ?? [] })
  if (allowCors) app.use('*', allowCors)
  // The console shows mock-up images from another origin: CORP same-origin would block them.
  app.use('*', secureHeaders({ crossOriginResourcePolicy: false }))
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
  // The caller's key name also when the edge vouches for it (see clientIdentity).
  const requireKey = apiKeyAuth({ keys: options.apiKeys, vouched: true })

  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  // After /healthz, which answers without calling next: probes are never limited.
  app.use(
    '*',
    clientIdentity({
      keys: options.apiKeys,
      trustProxy: options.trustProxy,
      serviceKey: options.edgeServiceKey,
    }),
  )
  // Calls the edge vouched for were counted there and pass; the rest count here, apart.
  mountRateLimit(app, options.rateLimit, { service: 'core', logger: options.logger })
  /** Lets a client check its key; answers the key's name, never the secret. */
  app.get('/v1/whoami', requireKey, (c) => c.json({ key: c.get('apiKeyName') }))
  for (const add of options.routes ?? []) add(app, requireKey)
  return app
}
