/**
 * @module
 * The validator cache of `score.get`: a single (not batched) GET with
 * `If-None-Match` is compared with the tag the score service keeps beside the
 * cached value. On a match the answer is `304` at once: no resolver, no
 * serialising, no hashing. Anything else (no match, bad input, a failing
 * dependency) goes on to tRPC, which answers it in full.
 */
import type { MiddlewareHandler } from 'hono'
import { scoreQuerySchema } from '../score/query.ts'
import type { ScoreService } from '../score/service.ts'
import { ifNoneMatch } from './etag/index.ts'

const ENVELOPE_START = '{"result":{"data":'
const ENVELOPE_END = '}}'

/**
 * The exact body of a single `score.get` answer holding the score JSON
 * `body`: tRPC's result envelope around it. Its hash is the answer's ETag.
 */
export function scoreGetBody(body: string): string {
  return ENVELOPE_START + body + ENVELOPE_END
}

/** Options of {@link scoreNotModified}. */
export interface ScoreNotModifiedOptions {
  score: ScoreService
  /** `Cache-Control` and `Vary` of a `score.get` answer, as the 200 carries them. */
  headers: Record<string, string>
}

function parseInput(raw: string | undefined): unknown {
  if (raw === undefined) return undefined
  try {
    return JSON.parse(raw)
  } catch {
    return undefined
  }
}

/**
 * Answers a matching conditional `GET <endpoint>/score.get` with 304.
 * Mount it on that path only.
 *
 * @example
 * app.get('/trpc/score.get', scoreNotModified({ score, headers }))
 */
export function scoreNotModified(options: ScoreNotModifiedOptions): MiddlewareHandler {
  const { score, headers } = options

  return async function scoreNotModified(c, next) {
    const condition = c.req.header('If-None-Match')
    if (!condition || c.req.query('batch') !== undefined) return next()
    const query = scoreQuerySchema.safeParse(parseInput(c.req.query('input')))
    if (!query.success) return next()
    let tag: string | undefined
    try {
      tag = await score.etag(query.data)
    } catch {
      // tRPC asks again and answers the failure in its own shape.
      return next()
    }
    if (tag === undefined || !ifNoneMatch(condition, tag)) return next()
    return c.body(null, 304, { ...headers, ETag: tag })
  }
}
