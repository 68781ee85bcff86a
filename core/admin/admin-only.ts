/**
 * @module
 * Admin routes take only admin keys (`ADMIN_KEYS`); any other key is a 403,
 * and every state-changing request is logged with the key's name.
 */
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../../edge/errors/index.ts'
import type { ProfilingLogger } from '../../edge/profiling/index.ts'
import type { AccessPolicy } from '../access/index.ts'

/** Refuses an authenticated caller that is not an admin: 403 JSON `forbidden`. */
export function requireAdmin(access: AccessPolicy): MiddlewareHandler {
  return async function requireAdmin(c, next) {
    if (!access.caller(c).admin) {
      throw new ApiError(403, 'forbidden', 'This route needs an admin key (ADMIN_KEYS)')
    }
    await next()
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Logs each state-changing admin request (`admin action`) with the key's name,
 * method, path and status, after it ran. Reads are left to the request log:
 * the dashboard polls every few seconds.
 */
export function logAdminActions(logger: Pick<ProfilingLogger, 'info'>): MiddlewareHandler {
  return async function logAdminActions(c, next) {
    await next()
    if (READS.has(c.req.method)) return
    logger.info(
      { key: c.get('apiKeyName'), method: c.req.method, path: c.req.path, status: c.res.status },
      'admin action',
    )
  }
}
