/**
 * @module
 * The gateway's tRPC router: one sub-router per area. `AppRouter` is the type
 * a `@trpc/client` is created with, so calls are typed end to end.
 */
import type { SqlClient } from '../db/types.ts'
import type { ScoreService } from '../score/service.ts'
import type { CoreClient } from './core-client.ts'
import { analyticsRouter } from './procedures/analytics.ts'
import { benchmarksRouter } from './procedures/benchmarks.ts'
import { mockupsRouter } from './procedures/mockups.ts'
import { scoreRouter } from './procedures/score.ts'
import { signalsRouter } from './procedures/signals.ts'
import { router } from './trpc.ts'

/** What the procedures call. */
export interface AppRouterDeps {
  score: ScoreService
  core: CoreClient
  /** Where `benchmarks.history` reads `score_benchmarks`. */
  db: SqlClient
}

/** Builds the router over its dependencies. */
export function createAppRouter(deps: AppRouterDeps) {
  return router({
    score: scoreRouter(deps.score),
    analytics: analyticsRouter(deps.core),
    benchmarks: benchmarksRouter(deps.db),
    mockups: mockupsRouter(deps.core),
    signals: signalsRouter(deps.core),
  })
}

/**
 * The gateway router's type.
 *
 * @example
 * const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/trpc' })] })
 */
export type AppRouter = ReturnType<typeof createAppRouter>
