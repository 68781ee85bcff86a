/**
 * @module
 * ETags and `304 Not Modified` for tRPC queries. Hono's own `etag` middleware
 * tags any `ok` response, which would tag (and 304) a 207 batch holding an
 * error; this one tags only what a cache may reuse:
 *
 * - a GET answered `200` with a JSON body (a single query or a batch whose
 *   every call succeeded: tRPC answers 207 when any failed);
 * - never a mutation (POST), an error, a 207, or a streamed response
 *   (`application/jsonl`, `text/event-stream`: its bytes are not known up front).
 *
 * The tag is strong: SHA-256 of the exact body bytes. Where the body is
 * already encoded (`Content-Encoding`, e.g. a `compress` middleware inside this
 * one), the tag is computed on the decoded body and marked weak, because the
 * encoded bytes depend on the encoder while the content does not.
 */
import type { MiddlewareHandler } from 'hono'
import { ifNoneMatch } from './if-none-match.ts'
import { contentTag, weakTag } from './tag.ts'

export { ifNoneMatch, opaqueTag } from './if-none-match.ts'
export { contentTag, weakTag } from './tag.ts'

/**
 * Headers a 304 keeps from the 200 it stands for (RFC 9110 section 15.4.5).
 */
export const RETAINED_304_HEADERS = [
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
] as const

/** Encodings `DecompressionStream` can undo on every runtime. */
const DECODABLE = ['gzip', 'deflate'] as const
type Decodable = (typeof DECODABLE)[number]
const isDecodable = (encoding: string): encoding is Decodable =>
  (DECODABLE as readonly string[]).includes(encoding)

/** Options of {@link trpcEtag}. */
export interface TrpcEtagOptions {
  /** Headers kept on a 304. @defaultValue {@link RETAINED_304_HEADERS} */
  retainedHeaders?: readonly string[]
}

/** Whether `res` to a `method` request is one this middleware tags. */
export function isTaggable(method: string, res: Response): boolean {
  if (method !== 'GET' || res.status !== 200 || !res.body) return false
  // The media type exactly: `application/jsonl` (a stream) must not pass as JSON.
  const type = res.headers.get('Content-Type')?.split(';')[0]?.trim().toLowerCase()
  return type === 'application/json'
}

async function tagOf(res: Response): Promise<string | undefined> {
  const encoding = res.headers.get('Content-Encoding')?.trim().toLowerCase()
  if (!encoding || encoding === 'identity') return contentTag(await res.clone().arrayBuffer())
  if (!isDecodable(encoding)) return undefined
  const decoded = res.clone().body?.pipeThrough(new DecompressionStream(encoding))
  return weakTag(contentTag(await new Response(decoded).arrayBuffer()))
}

/**
 * Tags successful tRPC query responses and answers a matching `If-None-Match`
 * (lists, `W/`, `*`) with an empty `304` that keeps `ETag`, `Cache-Control`,
 * `Vary` and `Date`.
 *
 * @param [options.retainedHeaders=RETAINED_304_HEADERS] headers a 304 keeps
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2
 * @example
 * app.use('/trpc/*', trpcEtag())
 * app.use('/trpc/*', trpcServer({ router }))
 */
export function trpcEtag(options: TrpcEtagOptions = {}): MiddlewareHandler {
  const retained = (options.retainedHeaders ?? RETAINED_304_HEADERS).map((h) => h.toLowerCase())

  return async function trpcEtag(c, next) {
    await next()
    const res = c.res
    if (!isTaggable(c.req.method, res)) return
    const tag = res.headers.get('ETag') ?? (await tagOf(res))
    if (tag === undefined) return
    if (!ifNoneMatch(c.req.header('If-None-Match'), tag)) {
      res.headers.set('ETag', tag)
      return
    }
    await res.body?.cancel()
    const headers = new Headers({ ETag: tag })
    for (const name of retained) {
      const value = res.headers.get(name)
      if (value !== null && name !== 'etag') headers.set(name, value)
    }
    // Unset first: Hono's `res` setter would otherwise copy every old header over.
    c.res = undefined
    c.res = new Response(null, { status: 304, headers })
  }
}
