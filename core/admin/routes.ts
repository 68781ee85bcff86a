/**
 * @module
 * The queue dashboard (bull-board) at `/admin/queues` on core: jobs by state,
 * their data, errors and retries. Behind an admin key (`ADMIN_KEYS`), which a
 * browser gives as the password of HTTP Basic; state-changing requests need a
 * same-site `Origin` or an `X-Requested-By` header (CSRF) and are logged with
 * the key's name. Never routed by the public edge or the CDN.
 */
import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { HonoAdapter } from '@bull-board/hono'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Queue } from 'bullmq'
import { type ApiKey, apiKeyAuth } from '../../edge/auth/index.ts'
import type { ProfilingLogger } from '../../edge/profiling/index.ts'
import type { AccessPolicy } from '../access/index.ts'
import type { CoreRoutes } from '../http/app.ts'
import { logAdminActions, requireAdmin } from './admin-only.ts'
import { sameOriginOrHeader } from './same-origin.ts'

/** Where the dashboard is served. */
export const ADMIN_QUEUES_PATH = '/admin/queues'

/** Options of {@link adminRoutes}. */
export interface AdminRoutesOptions {
  queues: readonly Queue[]
  keys: readonly ApiKey[]
  /** Decides who is an admin. */
  access: AccessPolicy
  /** Where admin actions are logged. */
  logger: Pick<ProfilingLogger, 'info'>
}

/** The admin routes. */
export function adminRoutes(options: AdminRoutesOptions): CoreRoutes {
  return (app) => {
    const board = new HonoAdapter(serveStatic)
    createBullBoard({
      queues: options.queues.map((q) => new BullMQAdapter(q)),
      serverAdapter: board,
    })
    board.setBasePath(ADMIN_QUEUES_PATH)
    app.use(
      '/admin/*',
      apiKeyAuth({ keys: options.keys, basic: true }),
      requireAdmin(options.access),
      sameOriginOrHeader(),
      logAdminActions(options.logger),
    )
    app.route(ADMIN_QUEUES_PATH, board.registerPlugin())
  }
}
