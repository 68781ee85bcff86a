/**
 * @module
 * Bearer API-key authentication (DESIGN.md "Auth"). Portable: only
 * `crypto.subtle`. The key's name is put on the context for logs and rate
 * limits; the secret is never logged or echoed.
 */
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../errors/index.ts'
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

/**
 * Resolves a presented `Authorization` header to the name of the key it
 * carries (Bearer only), or undefined. Shared with the rate limiter, which
 * buckets by key name before a route's own auth runs.
 *
 * @example
 * const nameOf = apiKeyResolver(keys); await nameOf('Bearer s3cr3t...') // 'ci'
 */
export function apiKeyResolver(
  keys: readonly ApiKey[],
): (header: string | undefined) => Promise<string | undefined> {
  let hashed: Promise<{ name: string; hash: Uint8Array }[]> | undefined
  return async function apiKeyResolver(header) {
    const secret = header ? presentedSecret(header, false) : undefined
    if (!secret) return undefined
    hashed ??= Promise.all(
      keys.map(async (key) => ({ name: key.name, hash: await digest(key.secret) })),
    )
    const presented = await digest(secret)
    let name: string | undefined
    for (const key of await hashed) if (digestsEqual(presented, key.hash)) name ??= key.name
    return name
  }
}

/**
 * Requires `Authorization: Bearer <secret>` matching one of `keys`.
 *
 * @example
 * app.post('/signals', apiKeyAuth({ keys: config.apiKeys }), handler)
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): MiddlewareHandler {
  // Hash the secrets once, on first use (crypto.subtle is async).
  let hashed: Promise<{ name: string; hash: Uint8Array }[]> | undefined
  const secrets = () => {
    hashed ??= Promise.all(
      options.keys.map(async (key) => ({ name: key.name, hash: await digest(key.secret) })),
    )
    return hashed
  }

  const basic = options.basic ?? false
  return async function apiKeyAuth(c, next) {
    const header = c.req.header('Authorization')
    if (!header) throw unauthorized('Missing Authorization header: send "Bearer <api key>"', basic)
    const secret = presentedSecret(header, basic)
    if (!secret) throw unauthorized('Authorization header must be "Bearer <api key>"', basic)
    const presented = await digest(secret)
    let name: string | undefined
    // Compare against every key, without stopping early, for uniform timing.
    for (const key of await secrets()) {
      if (digestsEqual(presented, key.hash)) name ??= key.name
    }
    if (name === undefined) throw unauthorized('Invalid API key', basic)
    c.set('apiKeyName', name)
    await next()
  }
}
