/**
 * @module
 * The edge app: the public routes served close to users on any runtime.
 * Every runtime dependency (cache, database, logger, metrics sink) is injected
 * by the runtime's entry file.
 */
import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { type ErrorLogger, errorHandler, notFoundHandler } from './errors/index.ts'
import { addProfiling, type ObserveDuration, type ProfilingLogger } from './profiling/index.ts'
import { type ScoreService, scoreRoute } from './score/index.ts'

/** Options of {@link createEdgeApp}. */
export interface EdgeAppOptions {
  logger: ProfilingLogger & ErrorLogger
  observe: ObserveDuration
  score: ScoreService
}

/** Builds the edge app. */
export function createEdgeApp(options: EdgeAppOptions): Hono {
  const app = new Hono()
  addProfiling(app, { service: 'edge', logger: options.logger, observe: options.observe })
  app.onError(errorHandler(options.logger))
  app.notFound(notFoundHandler)
  app.use('*', secureHeaders())
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  scoreRoute(app, options.score)
  return app
}
