/**
 * @module
 * The queue dashboard (bull-board) at `/admin/queues` on core: jobs by state,
 * their data, errors and retries. Behind an API key, which a browser gives as
 * the password of HTTP Basic; never routed by the public edge or the CDN.
 */
import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { HonoAdapter } from '@bull-board/hono'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Queue } from 'bullmq'
import { type ApiKey, apiKeyAuth } from '../../edge/auth/index.ts'
import type { CoreRoutes } from '../http/app.ts'

/** Where the dashboard is served. */
export const ADMIN_QUEUES_PATH = '/admin/queues'

/** Options of {@link adminRoutes}. */
export interface AdminRoutesOptions {
  queues: readonly Queue[]
  keys: readonly ApiKey[]
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
    app.use('/admin/*', apiKeyAuth({ keys: options.keys, basic: true }))
    app.route(ADMIN_QUEUES_PATH, board.registerPlugin())
  }
}
