/**
 * @module
 * The tRPC instance of the gateway: its context (who is calling), the error
 * shape (no stack traces, core's `details` passed on), and the two procedure
 * kinds: public, and private (an API key required).
 */
import { initTRPC, TRPCError } from '@trpc/server'
import type { ClientIdentity } from '../identity/context.ts'
import { CoreCallError } from './core-client.ts'

/** What every procedure sees about the request. */
export interface GatewayContext {
  /** Name of the API key that authenticated the request; null when none was sent. */
  apiKeyName: string | null
  /** The caller's `Authorization` header, forwarded to core on private calls only (no service key). */
  authorization: string | null
  /** Who is calling (`c.var.client`): vouched for at core with the edge's service key. */
  client?: ClientIdentity
  /** Aborts when the client goes away: passed on to core calls. */
  signal: AbortSignal
}

const t = initTRPC.context<GatewayContext>().create({
  // tRPC puts stack traces in error data outside production; none leaves a service.
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause instanceof CoreCallError ? error.cause : undefined
    // Unexpected failures keep their message in the log only (onError), as the app's errorHandler does.
    const message =
      error.code === 'INTERNAL_SERVER_ERROR' && !cause ? 'Internal server error' : shape.message
    return {
      ...shape,
      message,
      data: {
        ...shape.data,
        ...(cause ? { coreCode: cause.code, details: cause.details } : {}),
      },
    }
  },
})

/** Builds routers. */
export const router = t.router

/** A procedure anyone may call. */
export const publicProcedure = t.procedure

/** A procedure that needs `Authorization: Bearer <api key>` (checked before the call reaches it). */
export const privateProcedure = t.procedure.use(function requireApiKey({ ctx, next }) {
  if (ctx.apiKeyName === null) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'This procedure needs an API key: send "Authorization: Bearer <api key>"',
    })
  }
  return next({ ctx: { ...ctx, apiKeyName: ctx.apiKeyName } })
})
