/**
 * @module
 * The API gateway: the tRPC router at `/trpc` with ETags and 304s on queries,
 * the `score.get` validator cache, API keys for private procedures and
 * mutations, and request size limits. Portable: fetch and crypto.subtle only.
 */
import { trpcServer } from '@hono/trpc-server'
import type { Hono } from 'hono'
import { apiKeyAuth } from '../auth/api-key.ts'
import type { ApiKey } from '../auth/keys.ts'
import type { SqlClient } from '../db/types.ts'
import type { ErrorLogger } from '../errors/index.ts'
import type { ScoreService } from '../score/service.ts'
import {
  type CachePolicyOptions,
  gatewayResponseMeta,
  queryCacheHeaders,
  queryCachePolicies,
} from './cache-policy.ts'
import { createCoreClient } from './core-client.ts'
import { contentTag, trpcEtag } from './etag/index.ts'
import { GATEWAY_LIMITS, type RequestLimitsOptions, requestLimits } from './limits.ts'
import { createAppRouter } from './router.ts'
import { scoreGetBody, scoreNotModified } from './score-validator.ts'
import type { GatewayContext } from './trpc.ts'

export { RANKING_METRICS } from '../analytics/ranking.ts'
export { type CachePolicy, queryCachePolicies } from './cache-policy.ts'
export { gatewayCallCost } from './call-cost.ts'
export { CORE_TIMEOUT_MS, type CoreClient, createCoreClient } from './core-client.ts'
export { contentTag, ifNoneMatch, RETAINED_304_HEADERS, trpcEtag, weakTag } from './etag/index.ts'
export { GATEWAY_LIMITS } from './limits.ts'
export { type AppRouter, createAppRouter } from './router.ts'
export { scoreGetBody } from './score-validator.ts'

/** Where the router is served. */
export const TRPC_ENDPOINT = '/trpc'

/** Options of {@link gatewayRoutes}. */
export interface GatewayOptions
  extends Pick<CachePolicyOptions, 'analyticsMaxAge' | 'benchmarksMaxAge'> {
  score: ScoreService
  /** Keys that open private procedures and mutations; none: they are all refused. */
  apiKeys: readonly ApiKey[]
  /** Core's base URL (`CORE_URL`). */
  coreUrl: string
  /** Where `benchmarks.history` reads. */
  db: SqlClient
  /** The fetch core calls go through. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch
  /** Deadline of a core call, in ms. @defaultValue {@link CORE_TIMEOUT_MS} */
  coreTimeoutMs?: number
  /** The edge's credential at core (`EDGE_SERVICE_KEY`); see `CoreClientOptions.serviceKey`. */
  serviceKey?: string
  /** Size limits. @defaultValue {@link GATEWAY_LIMITS} */
  limits?: RequestLimitsOptions & { maxBatchCalls?: number }
  /** Logs unexpected procedure failures. */
  logger: ErrorLogger
}

/**
 * The tag a single `score.get` answer carries for the score JSON `body`: pass
 * it as the score service's `etagOf` so conditional requests skip tRPC.
 */
export function scoreGetEtag(body: string): string {
  return contentTag(scoreGetBody(body))
}

/**
 * Adds the gateway to `app` under {@link TRPC_ENDPOINT}.
 *
 * @example
 * gatewayRoutes(app, { score, apiKeys, coreUrl: 'http://127.0.0.1:3000', db, logger })
 */
export function gatewayRoutes(app: Hono, options: GatewayOptions): void {
  const policies = queryCachePolicies({
    // As /score tells browsers: a value past the soft TTL is already being replaced.
    scoreMaxAge: options.score.httpCaching.clientMaxAge,
    analyticsMaxAge: options.analyticsMaxAge,
    benchmarksMaxAge: options.benchmarksMaxAge,
  })
  const router = createAppRouter({
    score: options.score,
    db: options.db,
    core: createCoreClient({
      baseUrl: options.coreUrl,
      fetch: options.fetch,
      timeoutMs: options.coreTimeoutMs,
      serviceKey: options.serviceKey,
    }),
  })
  const requireKey = apiKeyAuth({ keys: options.apiKeys })
  const { logger } = options

  app.use(`${TRPC_ENDPOINT}/*`, requestLimits(options.limits), trpcEtag())
  // A key that is sent must be valid (401 otherwise); whether one is needed is
  // the procedure's call (privateProcedure), so a public query needs none.
  app.use(`${TRPC_ENDPOINT}/*`, (c, next) =>
    c.req.header('Authorization') ? requireKey(c, next) : next(),
  )
  app.get(
    `${TRPC_ENDPOINT}/score.get`,
    scoreNotModified({ score: options.score, headers: queryCacheHeaders(policies, ['score.get']) }),
  )
  // tRPC answers a request it cannot parse (e.g. a text/plain body: 415) with a
  // JSON envelope but no Content-Type, so the runtime labels it text/plain.
  app.use(`${TRPC_ENDPOINT}/*`, async function jsonContentType(c, next) {
    await next()
    const type = c.res.headers.get('Content-Type')
    if (c.res.body && (!type || type.startsWith('text/plain'))) {
      c.res.headers.set('Content-Type', 'application/json')
    }
  })
  app.use(
    `${TRPC_ENDPOINT}/*`,
    trpcServer({
      endpoint: TRPC_ENDPOINT,
      router,
      maxBatchSize: options.limits?.maxBatchCalls ?? GATEWAY_LIMITS.maxBatchCalls,
      createContext: (_opts, c): GatewayContext & Record<string, unknown> => ({
        apiKeyName: c.var.apiKeyName ?? null,
        authorization: c.req.header('Authorization') ?? null,
        client: c.var.client,
        signal: c.req.raw.signal,
      }),
      responseMeta: ({ type, info, errors, eagerGeneration }) =>
        gatewayResponseMeta(policies, {
          type,
          paths: info?.calls.map((call) => call.path) ?? [],
          errorCodes: errors.map((error) => error.code),
          eagerGeneration,
        }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR' || error.code === 'BAD_GATEWAY') {
          logger.error({ err: error.cause ?? error, path }, 'gateway procedure failed')
        }
      },
    }),
  )
}
