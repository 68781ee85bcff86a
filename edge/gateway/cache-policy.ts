/**
 * @module
 * Who may cache a query answer, and for how long, per procedure; and the
 * `responseMeta` that turns the procedures of a request into `Cache-Control`
 * and `Vary`. A batch is as shareable as its least shareable call: `public`
 * only when every call is, for the shortest max-age among them.
 */
import type { ResponseMeta } from '@trpc/server/http'

/** `public`: any cache may keep it `maxAge` seconds; `private`: only the caller's, revalidated each time. */
export type CachePolicy = { scope: 'public'; maxAge: number } | { scope: 'private' }

/** Options of {@link queryCachePolicies}. */
export interface CachePolicyOptions {
  /** `score.get`'s max-age: what `/score` gives browsers (`SCORE_CLIENT_MAX_AGE`). */
  scoreMaxAge: number
  /** Max-age of `analytics.*`. @defaultValue 60 */
  analyticsMaxAge?: number
  /** Max-age of `benchmarks.history`. @defaultValue 60 */
  benchmarksMaxAge?: number
}

/** The query procedures (mutations are never cached). */
export type QueryPath =
  | 'score.get'
  | 'analytics.designSummary'
  | 'analytics.topDesigns'
  | 'analytics.timeseries'
  | 'benchmarks.history'
  | 'mockups.get'
  | 'mockups.list'

/** The policy of every query procedure. */
export function queryCachePolicies(options: CachePolicyOptions): Record<QueryPath, CachePolicy> {
  const analytics: CachePolicy = { scope: 'public', maxAge: options.analyticsMaxAge ?? 60 }
  return {
    'score.get': { scope: 'public', maxAge: options.scoreMaxAge },
    'analytics.designSummary': analytics,
    'analytics.topDesigns': analytics,
    'analytics.timeseries': analytics,
    'benchmarks.history': { scope: 'public', maxAge: options.benchmarksMaxAge ?? 60 },
    // Behind an API key: a shared cache must not hand one caller's answer to another.
    'mockups.get': { scope: 'private' },
    'mockups.list': { scope: 'private' },
  }
}

/**
 * `Cache-Control` and `Vary` of a successful query answer for `paths`. An
 * unknown path counts as private. `Vary: trpc-accept` because the same URL is
 * answered as a stream (JSON lines) to a client that asks for one.
 */
export function queryCacheHeaders(
  policies: Readonly<Record<string, CachePolicy>>,
  paths: readonly string[],
): Record<string, string> {
  let maxAge = Number.POSITIVE_INFINITY
  for (const path of paths) {
    const policy = policies[path]
    if (policy?.scope !== 'public') {
      return { 'Cache-Control': 'private, no-cache', Vary: 'Authorization, trpc-accept' }
    }
    maxAge = Math.min(maxAge, policy.maxAge)
  }
  return { 'Cache-Control': `public, max-age=${maxAge}`, Vary: 'trpc-accept' }
}

/** What {@link gatewayResponseMeta} reads of tRPC's `responseMeta` options. */
export interface ResponseMetaInput {
  type: 'query' | 'mutation' | 'subscription' | 'unknown'
  paths: readonly string[]
  errorCodes: readonly string[]
  /** The response is streamed: headers are set before the results exist. */
  eagerGeneration: boolean
}

/**
 * The headers of any gateway response: successful queries per
 * {@link queryCacheHeaders}; mutations, errors and streams `no-store`; a 401
 * names the scheme (`WWW-Authenticate`).
 */
export function gatewayResponseMeta(
  policies: Readonly<Record<string, CachePolicy>>,
  input: ResponseMetaInput,
): ResponseMeta {
  const headers: Record<string, string> =
    input.type === 'query' && input.errorCodes.length === 0 && !input.eagerGeneration
      ? queryCacheHeaders(policies, input.paths)
      : { 'Cache-Control': 'no-store' }
  if (input.errorCodes.includes('UNAUTHORIZED')) {
    headers['WWW-Authenticate'] = 'Bearer realm="api"'
  }
  return { headers }
}
