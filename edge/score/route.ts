/**
 * @module
 * `GET /score?topic=&product=`: validates, asks the score service, and sets
 * `X-Cache` (HIT, MISS, BYPASS), `X-Cache-Tier` on hits, and `Cache-Control`.
 */
import type { Hono } from 'hono'
import { ApiError } from '../errors/index.ts'
import { scoreQuerySchema } from './query.ts'
import type { ScoreService } from './service.ts'

/** Adds `GET /score` to `app`. */
export function scoreRoute(app: Hono, service: ScoreService): void {
  app.get('/score', async (c) => {
    // URLSearchParams turns bytes that are not UTF-8 into U+FFFD, which the
    // schema refuses; Hono's query() would keep the raw "%FF" instead.
    const params = new URL(c.req.url).searchParams
    const parsed = scoreQuerySchema.safeParse({
      topic: params.get('topic') ?? undefined,
      product: params.get('product') ?? undefined,
    })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const field = String(issue.path[0] ?? 'query')
      throw new ApiError(400, 'invalid_query', issue.message, {
        fields: parsed.error.issues.map((i) => ({
          field: String(i.path[0] ?? 'query'),
          message: i.message,
        })),
        field,
      })
    }
    const lookup = await service.get(parsed.data)
    c.header('X-Cache', lookup.status)
    if (lookup.tier) c.header('X-Cache-Tier', lookup.tier)
    c.header('Cache-Control', `public, max-age=${service.ttlSeconds}`)
    c.header('Content-Type', 'application/json')
    return c.body(lookup.body)
  })
}
