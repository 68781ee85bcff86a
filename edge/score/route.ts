/**
 * @module
 * `GET /score?topic=&product=`: validates, asks the score service, and sets
 * `X-Cache` (HIT, STALE, MISS, BYPASS), `X-Cache-Tier` on hits, and
 * `Cache-Control` for browsers and the CDN. No `Vary`: the answer is public
 * and the same for every caller and encoding (the CORS middleware adds
 * `Vary: Origin` itself where an allow-list makes it vary).
 */
import type { Context, Hono } from 'hono'
import { boundedMemo, type WaitUntil } from '../cache/index.ts'
import { SCORE_ERRORS, scoreContract } from '../contracts/score.ts'
import { validate } from '../validation/index.ts'
import type { ScoreQuery } from './query.ts'
import type { CacheStatus, CacheTier, ScoreService } from './service.ts'

/** Validated query strings kept at most; the memo starts over beyond. */
const MAX_MEMO_QUERIES = 10_000

/**
 * The runtime's `waitUntil` (workerd), looked up only when a refresh starts:
 * Hono's `executionCtx` throws where there is none (Node, Deno), which would
 * cost every request.
 */
function lazyWaitUntil(c: Context): WaitUntil {
  return (promise) => {
    let ctx: Context['executionCtx'] | undefined
    try {
      ctx = c.executionCtx
    } catch {
      return // no execution context: the process outlives the response anyway
    }
    ctx.waitUntil(promise)
  }
}

/** Adds `GET /score` to `app`. */
export function scoreRoute(app: Hono, service: ScoreService): void {
  const { cacheControl } = service
  // Built once: a cached answer then costs no header formatting.
  const headers = new Map<string, Record<string, string>>()
  const headersOf = (status: CacheStatus, tier: CacheTier | undefined) => {
    const name = `${status}/${tier ?? ''}`
    let found = headers.get(name)
    if (!found) {
      found = {
        'Content-Type': 'application/json',
        'Cache-Control': cacheControl,
        'X-Cache': status,
        ...(tier ? { 'X-Cache-Tier': tier } : {}),
      }
      headers.set(name, found)
    }
    return found
  }
  // Validation is a function of the query string: a hot key's is parsed once
  // (a refused one throws, and is not remembered).
  const validated = boundedMemo((search: string): ScoreQuery => {
    // URLSearchParams turns bytes that are not UTF-8 into U+FFFD, which the
    // schema refuses; Hono's query() would keep the raw "%FF" instead.
    const params = new URLSearchParams(search)
    return validate(
      scoreContract.query,
      { topic: params.get('topic') ?? undefined, product: params.get('product') ?? undefined },
      SCORE_ERRORS.invalidQuery,
    )
  }, MAX_MEMO_QUERIES)
  const queryOf = (url: string): ScoreQuery => {
    const at = url.indexOf('?')
    return validated(at === -1 ? '' : url.slice(at))
  }
  app.get('/score', async (c) => {
    const query = queryOf(c.req.url)
    const lookup = await service.get(query, { waitUntil: lazyWaitUntil(c) })
    return c.body(lookup.body, 200, headersOf(lookup.status, lookup.tier))
  })
}
