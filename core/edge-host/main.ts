/**
 * @module
 * `npm run edge`: the edge app on Node (PORT 8787, metrics on METRICS_PORT
 * 9465), with the clients `EDGE_CACHE`/`EDGE_DB` choose (ioredis and pg by
 * default) behind the edge contracts. It lives in core/
 * because it needs Node's clients and the process plumbing; the Deno and
 * workerd entries sit in edge/entry/.
 */
import { createEdgeApp } from '../../edge/app.ts'
import { scoreGetEtag } from '../../edge/gateway/index.ts'
import { createScoreService, scoreSettings } from '../../edge/score/index.ts'
import { listen } from '../platform/http/listen.ts'
import { requestLog } from '../platform/logger.ts'
import { runService } from '../platform/service.ts'
import { rateLimitFromConfig } from '../rate-limit/from-config.ts'
import { edgeClients } from './clients.ts'
import { scoreCacheCounter, scoreRefreshCounter } from './metrics.ts'

await runService({
  name: 'edge',
  defaultMetricsPort: 9465,
  async start({ config, logger, metrics, onShutdown, addReadinessCheck }) {
    const { cache, db, readiness, close } = edgeClients(config, {
      logger,
      registry: metrics.registry,
    })
    onShutdown('edge clients', close)
    addReadinessCheck(readiness)
    logger.info({ cache: config.EDGE_CACHE, db: config.EDGE_DB }, 'edge clients')

    const score = createScoreService({
      db,
      cache,
      ...scoreSettings(config),
      countCacheRequest: scoreCacheCounter(metrics.registry),
      countRefresh: scoreRefreshCounter(metrics.registry),
      onError: (err, where) => logger.warn({ err, where }, 'score dependency failed'),
      // The validator cache: conditional score.get calls are answered from this tag.
      etagOf: scoreGetEtag,
    })
    // Steps run in reverse: refreshes under way end (each within its deadline) before the clients close.
    onShutdown('score refreshes', score.settled)
    const limiter = rateLimitFromConfig(config, 'edge', logger, { registry: metrics.registry })
    if (!config.EDGE_SERVICE_KEY) {
      logger.warn('EDGE_SERVICE_KEY is unset: core counts gateway calls again, as from this edge')
    }
    onShutdown('rate limiter', limiter.close)
    // The tRPC gateway at /trpc: core over CORE_URL, benchmarks.history on this pool.
    const app = createEdgeApp({
      logger,
      requestLog: requestLog(logger),
      observe: metrics.observeRequest,
      score,
      db,
      coreUrl: config.CORE_URL,
      apiKeys: config.API_KEYS,
      rateLimit: limiter.options,
      trustProxy: config.TRUST_PROXY,
      serviceKey: config.EDGE_SERVICE_KEY,
      corsOrigins: config.CORS_ORIGINS,
    })
    const server = await listen(app, config.PORT ?? 8787)
    onShutdown('http server', server.close)
    logger.info({ port: server.port }, 'edge listening')
  },
})
