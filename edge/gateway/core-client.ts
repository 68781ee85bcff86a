/**
 * @module
 * A small typed client of core's HTTP API (`CORE_URL`): fetch with a deadline,
 * the caller's identity vouched for with the edge's service credential
 * (`EDGE_SERVICE_KEY`; without one, the caller's `Authorization` forwarded
 * only when asked), answers checked with a zod schema, and core's JSON errors
 * turned into tRPC errors with the same status. A 404 "No route for ..."
 * means core lacks the route (not yet deployed there): that is
 * `NOT_IMPLEMENTED`, not a missing resource.
 */
import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import type { ClientIdentity } from '../identity/context.ts'
import { edgeCallHeaders } from '../identity/forward.ts'
import { trpcCodeOf } from './errors.ts'

/** Options of {@link createCoreClient}. */
export interface CoreClientOptions {
  /** Core's base URL (`CORE_URL`), e.g. `http://127.0.0.1:3000`. */
  baseUrl: string
  /** The fetch to use (tests pass one). @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch
  /** Deadline of each call, in ms. @defaultValue 5000 */
  timeoutMs?: number
  /**
   * The edge's credential at core (`EDGE_SERVICE_KEY`): each call then
   * carries it and the caller's identity, so core counts no call twice and
   * knows who is calling. @defaultValue none: the caller's `Authorization`
   * is forwarded on private calls, and core sees the edge's address
   */
  serviceKey?: string
}

/** One call to core. */
export interface CoreRequest {
  method?: 'GET' | 'POST'
  /** Path with its leading slash; ids in it must already be URI-encoded. */
  path: string
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | undefined>
  /** JSON body of a POST. */
  body?: unknown
  /** `Authorization` to forward without a service key (private and mutating calls only). */
  authorization?: string | null
  /** The caller, vouched for with the service key. */
  client?: ClientIdentity
  /** The client's request signal: its going away cancels the call. */
  signal?: AbortSignal
}

/** Core's error answer, kept as the cause of the `TRPCError`. */
export class CoreCallError extends Error {
  override readonly name = 'CoreCallError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

const coreErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
})

/** The default deadline of a core call. */
export const CORE_TIMEOUT_MS = 5000

/** Creates the client; throws at once on a base URL that is not http(s). */
export function createCoreClient(options: CoreClientOptions) {
  const base = new URL(options.baseUrl)
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`core URL must be http:// or https://, got ${base.protocol}`)
  }
  const root = base.href.replace(/\/$/, '')
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const timeoutMs = options.timeoutMs ?? CORE_TIMEOUT_MS

  async function send(request: CoreRequest): Promise<Response> {
    const url = new URL(root + request.path)
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value))
    }
    const headers = new Headers({ Accept: 'application/json' })
    if (options.serviceKey && request.client) {
      for (const [name, value] of Object.entries(
        edgeCallHeaders(request.client, options.serviceKey),
      )) {
        headers.set(name, value)
      }
    } else if (request.authorization) {
      headers.set('Authorization', request.authorization)
    }
    if (request.body !== undefined) headers.set('Content-Type', 'application/json')
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline
    try {
      return await doFetch(url, {
        method: request.method ?? 'GET',
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      })
    } catch (cause) {
      if (deadline.aborted) {
        throw new TRPCError({
          code: 'GATEWAY_TIMEOUT',
          message: `core did not answer within ${timeoutMs} ms`,
          cause,
        })
      }
      if (request.signal?.aborted) {
        throw new TRPCError({ code: 'CLIENT_CLOSED_REQUEST', message: 'request aborted', cause })
      }
      throw new TRPCError({ code: 'BAD_GATEWAY', message: 'core is unreachable', cause })
    }
  }

  async function failure(res: Response, request: CoreRequest): Promise<TRPCError> {
    const parsed = coreErrorBody.safeParse(await res.json().catch(() => undefined))
    if (!parsed.success) {
      return new TRPCError({ code: 'BAD_GATEWAY', message: `core answered ${res.status}` })
    }
    const { code, message, details } = parsed.data.error
    const cause = new CoreCallError(res.status, code, message, details)
    // Core's notFound handler: the route itself is absent, not the resource.
    if (res.status === 404 && message.startsWith('No route for')) {
      return new TRPCError({
        code: 'NOT_IMPLEMENTED',
        message: `core does not serve ${request.method ?? 'GET'} ${request.path.split('?')[0]} yet`,
        cause,
      })
    }
    return new TRPCError({ code: trpcCodeOf(res.status), message, cause })
  }

  return {
    /**
     * Calls core and returns its JSON answer parsed by `schema`.
     *
     * @throws {TRPCError} with core's status mapped, `GATEWAY_TIMEOUT` past the
     * deadline, `BAD_GATEWAY` when core is unreachable or answers another shape
     */
    async call<S extends z.ZodType>(request: CoreRequest, schema: S): Promise<z.output<S>> {
      const res = await send(request)
      if (!res.ok) throw await failure(res, request)
      const parsed = schema.safeParse(await res.json().catch(() => undefined))
      if (!parsed.success) {
        throw new TRPCError({
          code: 'BAD_GATEWAY',
          message: `core answered ${request.path.split('?')[0]} with an unexpected shape`,
          cause: parsed.error,
        })
      }
      return parsed.data
    },
  }
}

/** The core client. */
export type CoreClient = ReturnType<typeof createCoreClient>
