/**
 * @module
 * The edge app: the public routes served close to users on any runtime.
 * Every runtime dependency (cache, database, logger, metrics sink) is injected
 * by the runtime's entry file.
 */
import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { ApiKey } from './auth/keys.ts'
import { consoleRoutes } from './console/index.ts'
import { corsAllowList } from './cors/index.ts'
import type { SqlClient } from './db/types.ts'
import { type ErrorLogger, errorHandler, notFoundHandler } from './errors/index.ts'
import { gatewayCallCost, gatewayRoutes, TRPC_ENDPOINT } from './gateway/index.ts'
import { readyzRoute } from './health/index.ts'
import { clientIdentity, type TrustProxy } from './identity/index.ts'
import { mockupImageRoutes } from './mockups/index.ts'
import {
  addProfiling,
  logThrough,
  type ObserveDuration,
  type ProfilingLogger,
  type RequestLog,
} from './profiling/index.ts'
import { mountRateLimit, type RateLimitSettings } from './rate-limit/index.ts'
import { type ScoreService, scoreRoute } from './score/index.ts'

/** Options of {@link createEdgeApp}. */
export interface EdgeAppOptions {
  logger: ProfilingLogger & ErrorLogger
  observe: ObserveDuration
  /** The request line (core's `requestLog` on Node). @defaultValue `logger.info(entry, 'request')` */
  requestLog?: RequestLog
  score: ScoreService
  /** Keys for the gateway's private procedures and mutations (`API_KEYS`). @defaultValue none */
  apiKeys?: readonly ApiKey[]
  /** Core's base URL (`CORE_URL`); with `db`, it turns the tRPC gateway at `/trpc` on. */
  coreUrl?: string
  /** The database `benchmarks.history` reads; with `coreUrl`, it turns the gateway on. */
  db?: SqlClient
  /** The fetch core calls go through (tests). @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch
  /** Deadline of a core call, in ms. @defaultValue 5000 */
  coreTimeoutMs?: number
  /** Per-key/per-address limits on every route but /healthz (`RATE_LIMIT_PER_MINUTE`). @defaultValue none */
  rateLimit?: RateLimitSettings
  /** Proxies whose forwarding headers name the client (`TRUST_PROXY`). @defaultValue trust nothing */
  trustProxy?: TrustProxy
  /** The edge's credential at core (`EDGE_SERVICE_KEY`): core calls vouch for the caller. */
  serviceKey?: string
  /** Origins the console may call from (`CORS_ORIGINS`). @defaultValue none: same-origin only */
  corsOrigins?: readonly string[]
}

/** Builds the edge app. */
export function createEdgeApp(options: EdgeAppOptions): Hono {
  const app = new Hono()
  addProfiling(app, {
    service: 'edge',
    log: options.requestLog ?? logThrough(options.logger),
    observe: options.observe,
  })
  app.onError(errorHandler(options.logger))
  app.notFound(notFoundHandler)
  const allowCors = corsAllowList({ origins: options.corsOrigins ?? [] })
  if (allowCors) app.use('*', allowCors)
  app.use('*', secureHeaders())
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  // Also before the rate limit: a probe. Needs both ends it compares.
  if (options.coreUrl !== undefined && options.db !== undefined) {
    const { coreUrl, db, fetch, coreTimeoutMs: timeoutMs } = options
    readyzRoute(app, { coreUrl, db, fetch, timeoutMs })
  }
  // After /healthz, which answers without calling next: probes are never limited.
  app.use('*', clientIdentity({ keys: options.apiKeys ?? [], trustProxy: options.trustProxy }))
  mountRateLimit(app, options.rateLimit, {
    service: 'edge',
    // A tRPC batch counts one per call, as the same calls sent one by one would.
    cost: (c) => gatewayCallCost(c, TRPC_ENDPOINT),
    logger: options.logger,
  })
  scoreRoute(app, options.score)
  consoleRoutes(app)
  if (options.coreUrl !== undefined) {
    const { coreUrl, fetch, coreTimeoutMs: timeoutMs, serviceKey } = options
    mockupImageRoutes(app, { coreUrl, fetch, timeoutMs, serviceKey })
  }
  if (options.coreUrl !== undefined && options.db !== undefined) {
    gatewayRoutes(app, {
      score: options.score,
      apiKeys: options.apiKeys ?? [],
      coreUrl: options.coreUrl,
      db: options.db,
      fetch: options.fetch,
      coreTimeoutMs: options.coreTimeoutMs,
      serviceKey: options.serviceKey,
      logger: options.logger,
    })
  }
  return app
}
