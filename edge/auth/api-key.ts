/**
 * @module
 * Bearer API-key authentication (DESIGN.md "Auth"). Portable: only
 * `crypto.subtle`. The key's name is put on the context for logs and rate
 * limits; the secret is never logged or echoed.
 */
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../errors/index.ts'
import type { ClientIdentity } from '../identity/context.ts'
import type { ApiKey } from './keys.ts'

declare module 'hono' {
  interface ContextVariableMap {
    /** Name of the API key that authenticated the request. */
    apiKeyName: string
  }
}

/** Options of {@link apiKeyAuth}. */
export interface ApiKeyAuthOptions {
  /** Accepted keys; with none, every request is refused (mutations stay closed by default). */
  keys: readonly ApiKey[]
  /**
   * Also accept HTTP Basic credentials whose password is a key's secret, and
   * ask for them on a 401, so a browser can open an admin page.
   * @defaultValue false
   */
  basic?: boolean
  /**
   * Also accept a caller the edge vouched for (its service credential and a
   * forwarded key name among `keys`): core's API routes, which the gateway
   * calls on a caller's behalf. Needs `clientIdentity` mounted before.
   * @defaultValue false
   */
  vouched?: boolean
}

const encoder = new TextEncoder()

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
}

/**
 * Compares two SHA-256 digests in time independent of where they differ, so a
 * caller cannot find a secret byte by byte from response timings.
 */
function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return diff === 0
}

function unauthorized(message: string, basic: boolean): ApiError {
  return new ApiError(401, 'unauthorized', message, undefined, {
    'WWW-Authenticate': basic ? 'Basic realm="admin", charset="UTF-8"' : 'Bearer realm="api"',
  })
}

/** The secret a request presents: a Bearer token, or (when allowed) a Basic password. */
function presentedSecret(header: string, basic: boolean): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (bearer?.[1]) return bearer[1]
  const credentials = basic ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)?.[1] : undefined
  if (!credentials) return undefined
  try {
    const decoded = atob(credentials)
    const colon = decoded.indexOf(':')
    return colon >= 0 ? decoded.slice(colon + 1) : undefined
  } catch {
    return undefined
  }
}

/** The name of the entry whose secret `presented` is, compared in uniform time; undefined when none. */
function secretMatcher(
  entries: readonly Pick<ApiKey, 'name' | 'secret'>[],
): (presented: string) => Promise<string | undefined> {
  // Hash the secrets once, on first use (crypto.subtle is async).
  let hashed: Promise<{ name: string; hash: Uint8Array }[]> | undefined
  return async (presented) => {
    hashed ??= Promise.all(
      entries.map(async (entry) => ({ name: entry.name, hash: await digest(entry.secret) })),
    )
    const hash = await digest(presented)
    let name: string | undefined
    // Compare against every entry, without stopping early, for uniform timing.
    for (const entry of await hashed) if (digestsEqual(hash, entry.hash)) name ??= entry.name
    return name
  }
}

/**
 * Resolves a presented `Authorization` header to the name of the entry whose
 * secret it carries (Bearer only), or undefined. Shared with the client
 * identity, which names the caller (and checks the edge's service
 * credential) before a route's own auth runs.
 *
 * @example
 * const nameOf = apiKeyResolver(keys); await nameOf('Bearer s3cr3t...') // 'ci'
 */
export function apiKeyResolver(
  keys: readonly Pick<ApiKey, 'name' | 'secret'>[],
): (header: string | undefined) => Promise<string | undefined> {
  const match = secretMatcher(keys)
  return async function apiKeyResolver(header) {
    const secret = header ? presentedSecret(header, false) : undefined
    return secret ? match(secret) : undefined
  }
}

/**
 * Requires `Authorization: Bearer <secret>` matching one of `keys`, or (with
 * `vouched`) a caller the edge vouched for with its service credential whose
 * key name is among `keys` (see `clientIdentity`). Either way `apiKeyName`
 * is the caller's key name afterwards. A Bearer key `clientIdentity` already
 * matched (from the same `API_KEYS`, where a name has one secret) is not
 * hashed again: a digest costs a thread-pool round trip.
 *
 * @example
 * app.post('/signals', apiKeyAuth({ keys: config.apiKeys }), handler)
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): MiddlewareHandler {
  const match = secretMatcher(options.keys)
  const names = new Set(options.keys.map((key) => key.name))
  const basic = options.basic ?? false
  return async function apiKeyAuth(c, next) {
    // Undefined where no clientIdentity runs before (tests, other apps).
    const client = c.get('client') as ClientIdentity | undefined
    const known = client?.keyName
    if (known !== undefined && names.has(known) && (options.vouched || !client?.viaEdge)) {
      c.set('apiKeyName', known)
      return next()
    }
    const header = c.req.header('Authorization')
    if (!header) throw unauthorized('Missing Authorization header: send "Bearer <api key>"', basic)
    const secret = presentedSecret(header, basic)
    if (!secret) throw unauthorized('Authorization header must be "Bearer <api key>"', basic)
    const name = await match(secret)
    if (name === undefined) throw unauthorized('Invalid API key', basic)
    c.set('apiKeyName', name)
    await next()
  }
}
