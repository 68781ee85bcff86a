/**
 * @module
 * What a gateway request costs the caller's rate limit: one per tRPC call, so
 * a batch of N calls (`/trpc/a,b,c?batch=1`) counts N, as N single requests
 * would. Capped at the most calls a batch may hold (a longer one is refused).
 */
import type { Context } from 'hono'
import { GATEWAY_LIMITS } from './limits.ts'

/** The number of calls `c` makes: 1 outside the gateway or when not batched. */
export function gatewayCallCost(c: Context, endpoint: string): number {
  const path = c.req.path
  if (!path.startsWith(`${endpoint}/`) || c.req.query('batch') !== '1') return 1
  const calls = path.slice(endpoint.length + 1).split(',').length
  return Math.min(calls, GATEWAY_LIMITS.maxBatchCalls)
}
