/**
 * @module
 * A local stand-in for the CloudFront distribution `configure_cdn.sh` makes,
 * read from its `--dry-run` JSON: each request is resolved to a cache
 * behaviour as CloudFront does (the first `PathPattern` that matches, in list
 * order, else the default), then answered by the behaviour's viewer-request
 * function (the 404 of `cdn/deny-internal.js`) or forwarded to the local
 * origin standing for its `TargetOriginId`, with only the query string and
 * headers the behaviour forwards. It caches nothing: it shows where each path
 * goes and what that origin answers (tests/cdn/routing.test.ts, the edge
 * rehearsal).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Hono } from 'hono'
import { type Listening, listen } from '../../core/platform/http/listen.ts'

const SCRIPTS = join(import.meta.dirname, '..')

/** A list as CloudFront's API writes it. */
export interface Quantified<T> {
  Quantity: number
  Items?: T[]
}

/** The fields of a cache behaviour that decide where a request goes. */
export interface CacheBehavior {
  PathPattern?: string
  TargetOriginId: string
  ViewerProtocolPolicy: string
  Compress: boolean
  AllowedMethods: Quantified<string> & { CachedMethods: Quantified<string> }
  ForwardedValues: {
    QueryString: boolean
    Cookies: { Forward: string }
    Headers: Quantified<string>
  }
  MinTTL: number
  DefaultTTL: number
  MaxTTL: number
  FunctionAssociations: Quantified<{ EventType: string; FunctionARN: string }>
}

/** An origin of the distribution. */
export interface Origin {
  Id: string
  DomainName: string
  OriginAccessControlId?: string
  S3OriginConfig?: { OriginAccessIdentity: string }
  CustomOriginConfig?: {
    HTTPPort: number
    HTTPSPort: number
    OriginProtocolPolicy: string
    OriginSslProtocols: Quantified<string>
  }
}

/** The parts of a DistributionConfig read here and by the tests. */
export interface DistributionConfig {
  CallerReference: string
  Enabled: boolean
  DefaultRootObject: string
  Origins: Quantified<Origin>
  DefaultCacheBehavior: CacheBehavior
  CacheBehaviors: Quantified<CacheBehavior>
  ViewerCertificate: Record<string, unknown>
}

/** `configure_cdn.sh --dry-run <args>`'s configuration (no AWS call is made). */
export function dryRunConfig(args: readonly string[]): DistributionConfig {
  const run = spawnSync('bash', [join(SCRIPTS, 'configure_cdn.sh'), '--dry-run', ...args], {
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`configure_cdn.sh --dry-run failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as DistributionConfig
}

/**
 * A CloudFront path pattern as a RegExp: `*` is any run of characters, `?` one
 * character, matched case-sensitively against the whole path; the leading `/`
 * is optional in the pattern.
 */
export function pathPatternRegExp(pattern: string): RegExp {
  const withSlash = pattern.startsWith('/') ? pattern : `/${pattern}`
  const body = withSlash
    .split('')
    .map((ch) => {
      if (ch === '*') return '.*'
      if (ch === '?') return '.'
      return ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&')
    })
    .join('')
  return new RegExp(`^${body}$`)
}

/** The behaviour CloudFront uses for `url` (path and query): the first match in order, else the default. */
export function behaviourFor(config: DistributionConfig, url: string): CacheBehavior {
  const path = url.split('?')[0]!
  const match = (config.CacheBehaviors.Items ?? []).find((b) =>
    pathPatternRegExp(b.PathPattern ?? '').test(path),
  )
  return match ?? config.DefaultCacheBehavior
}

/** A CloudFront Function's viewer-request result that answers the viewer itself. */
interface FunctionResponse {
  statusCode: number
  statusDescription?: string
  headers?: Record<string, { value: string }>
}
type ViewerRequestHandler = (event: {
  request: { uri: string; method: string }
}) => FunctionResponse

/** The 404 function configure_cdn.sh publishes, loaded from its file (cloudfront-js-2.0 is plain JS). */
export function denyFunction(): ViewerRequestHandler {
  const code = readFileSync(join(SCRIPTS, 'cdn/deny-internal.js'), 'utf8')
  return new Function(`${code}\nreturn handler`)() as ViewerRequestHandler
}

/** Options of {@link startLocalCdn}. */
export interface LocalCdnOptions {
  config: DistributionConfig
  /** Base URL of the local origin standing for each origin ID (a bucket: `http://s3/<bucket>`). */
  origins: Record<string, string>
}

/** Which origin (or `function`) answered, per request: the `X-Local-Cdn-Origin` header. */
export const ORIGIN_HEADER = 'X-Local-Cdn-Origin'

/** Headers a response must not carry once fetch has decoded and re-framed its body. */
const HOP_HEADERS = ['content-encoding', 'content-length', 'transfer-encoding', 'connection']

/** Starts the local CDN on a free loopback port. */
export async function startLocalCdn(
  options: LocalCdnOptions,
): Promise<Listening & { url: string }> {
  const deny = denyFunction()
  const app = new Hono()
  app.all('*', async (c) => {
    const url = new URL(c.req.url)
    const behaviour = behaviourFor(options.config, `${url.pathname}${url.search}`)
    if (!(behaviour.AllowedMethods.Items ?? []).includes(c.req.method)) {
      return c.text('This distribution is not configured to allow the HTTP request method', 403)
    }
    if (behaviour.FunctionAssociations.Quantity > 0) {
      const answer = deny({ request: { uri: url.pathname, method: c.req.method } })
      const headers = new Headers({ [ORIGIN_HEADER]: 'function' })
      for (const [name, { value }] of Object.entries(answer.headers ?? {})) headers.set(name, value)
      return new Response(null, { status: answer.statusCode, headers })
    }
    const base = options.origins[behaviour.TargetOriginId]
    if (!base) throw new Error(`no local origin for ${behaviour.TargetOriginId}`)
    const forwarded = new Headers()
    for (const name of behaviour.ForwardedValues.Headers.Items ?? []) {
      const value = c.req.header(name)
      if (value) forwarded.set(name, value)
    }
    const contentType = c.req.header('Content-Type')
    if (contentType) forwarded.set('Content-Type', contentType)
    const query = behaviour.ForwardedValues.QueryString ? url.search : ''
    const hasBody = !['GET', 'HEAD'].includes(c.req.method)
    const res = await fetch(`${base}${url.pathname}${query}`, {
      method: c.req.method,
      headers: forwarded,
      body: hasBody ? await c.req.arrayBuffer() : undefined,
      redirect: 'manual',
    })
    const headers = new Headers(res.headers)
    for (const name of HOP_HEADERS) headers.delete(name)
    headers.set(ORIGIN_HEADER, behaviour.TargetOriginId)
    const body = res.status === 304 || c.req.method === 'HEAD' ? null : await res.arrayBuffer()
    return new Response(body, { status: res.status, headers })
  })
  const server = await listen(app, 0, '127.0.0.1')
  return { ...server, url: `http://127.0.0.1:${server.port}` }
}
