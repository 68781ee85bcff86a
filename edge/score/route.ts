/**
 * @module
 * `GET /score?topic=&product=`: validates, asks the score service, and sets
 * `X-Cache` (HIT, MISS, BYPASS), `X-Cache-Tier` on hits, and `Cache-Control`.
 */
import type { Hono } from 'hono'
import { SCORE_ERRORS, scoreContract } from '../contracts/score.ts'
import { validate } from '../validation/index.ts'
import type { ScoreService } from './service.ts'

/** Adds `GET /score` to `app`. */
export function scoreRoute(app: Hono, service: ScoreService): void {
  app.get('/score', async (c) => {
    // URLSearchParams turns bytes that are not UTF-8 into U+FFFD, which the
    // schema refuses; Hono's query() would keep the raw "%FF" instead.
    const params = new URL(c.req.url).searchParams
    const query = validate(
      scoreContract.query,
      { topic: params.get('topic') ?? undefined, product: params.get('product') ?? undefined },
      SCORE_ERRORS.invalidQuery,
    )
    const lookup = await service.get(query)
    c.header('X-Cache', lookup.status)
    if (lookup.tier) c.header('X-Cache-Tier', lookup.tier)
    c.header('Cache-Control', `public, max-age=${service.ttlSeconds}`)
    c.header('Content-Type', 'application/json')
    return c.body(lookup.body)
  })
}
