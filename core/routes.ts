/**
 * @module
 * Every capability route of core, in one list that `core/server.ts` serves and
 * the access tests mount (tests/access/stack.ts): a route added here is in the
 * access matrix at once, and fails it until it has a row.
 */
import type { Queue } from 'bullmq'
import type pg from 'pg'
import type { ApiKey } from '../edge/auth/index.ts'
import type { ProfilingLogger } from '../edge/profiling/index.ts'
import type { AccessPolicy } from './access/index.ts'
import { adminRoutes } from './admin/routes.ts'
import { type LatencyRouteOptions, latencyRoute } from './analytics/latency-route.ts'
import { analyticsRoutes } from './analytics/routes.ts'
import { createAnalyticsStore } from './analytics/store.ts'
import type { CoreRoutes } from './http/app.ts'
import { type SignalQueue, signalRoutes } from './ingestion/index.ts'
import { type MockupQueue, mockupRoutes } from './mockups/routes.ts'
import { experimentRoutes, type MetricsStore } from './optimization/index.ts'
import { createMockupRecords } from './platform/mockups/index.ts'
import type { MockupStorage } from './platform/storage/index.ts'
import { schemaVersionRoute } from './schema/route.ts'

/** What the routes serve from; an undefined dependency makes its routes answer 503. */
export interface CoreRouteDeps {
  pool: pg.Pool | undefined
  signalQueue: SignalQueue | undefined
  mockupQueue: MockupQueue | undefined
  mockupStorage: MockupStorage
  metricsStore: MetricsStore | undefined
  latency: LatencyRouteOptions
  /** The queues bull-board shows. */
  dashboardQueues: readonly Queue[]
  keys: readonly ApiKey[]
  access: AccessPolicy
  logger: Pick<ProfilingLogger, 'info'>
}

/** Core's capability routes, for `createCoreApp({ routes })`. */
export function coreRoutes(deps: CoreRouteDeps): CoreRoutes[] {
  const { pool, access } = deps
  return [
    schemaVersionRoute({ db: pool }),
    signalRoutes({ queue: deps.signalQueue, db: pool, access }),
    mockupRoutes({
      records: pool ? createMockupRecords(pool) : undefined,
      queue: deps.mockupQueue,
      storage: deps.mockupStorage,
      access,
    }),
    experimentRoutes({ store: deps.metricsStore }),
    ...(pool ? [analyticsRoutes(createAnalyticsStore(pool))] : []),
    latencyRoute(deps.latency),
    adminRoutes({ queues: deps.dashboardQueues, keys: deps.keys, access, logger: deps.logger }),
  ]
}
