/**
 * @module
 * The `host:port` targets the Neon bridges may reach. Both the WebSocket proxy
 * (`?address=host:port`) and the SQL endpoint (`Neon-Connection-String`)
 * check it, so neither becomes an open relay to any host.
 */

/** PostgreSQL's port when a URL or address names none. */
const DEFAULT_PG_PORT = 5432

/** A set of allowed `host:port` targets. */
export interface AllowList {
  /** Whether `host` and `port` may be reached. */
  allows(host: string, port: number): boolean
  /** The normalised entries, for logs. */
  readonly entries: readonly string[]
}

/**
 * Builds an allow-list. Each entry is `host:port`, `host` (port 5432) or a
 * `postgres://` URL, whose host and port are taken (the credentials are not
 * kept). Throws on an entry it cannot read, or on an empty list.
 */
export function createAllowList(entries: readonly string[]): AllowList {
  if (entries.length === 0) throw new Error('the Neon bridge needs at least one allowed target')
  const targets = new Set(entries.map((entry, index) => parseEntry(entry, index)))
  return {
    allows: (host, port) => targets.has(targetKey(host, port)),
    entries: [...targets],
  }
}

/**
 * Reads `host:port` (as in the proxy's `address` parameter; `[::1]:5432` for
 * IPv6), or undefined when it is not one.
 */
export function parseAddress(address: string): { host: string; port: number } | undefined {
  const colon = address.lastIndexOf(':')
  const host = colon > 0 ? address.slice(0, colon) : address
  const port = colon > 0 ? Number(address.slice(colon + 1)) : DEFAULT_PG_PORT
  if (host === '' || !Number.isInteger(port) || port < 1 || port > 65535) return undefined
  return { host, port }
}

/** Host and port of a `postgres://` URL, or undefined when it is not one. */
export function parseConnectionTarget(url: string): { host: string; port: number } | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') return undefined
  if (parsed.hostname === '') return undefined
  return { host: parsed.hostname, port: parsed.port === '' ? DEFAULT_PG_PORT : Number(parsed.port) }
}

function parseEntry(entry: string, index: number): string {
  const target = entry.includes('://') ? parseConnectionTarget(entry) : parseAddress(entry)
  // Never echo a URL entry: it may hold a password.
  if (!target)
    throw new Error(`allow-list entry ${index + 1} is not host:port or a postgres:// URL`)
  return targetKey(target.host, target.port)
}

/** One spelling per target: lower case, IPv6 without brackets. */
function targetKey(host: string, port: number): string {
  return `${host.toLowerCase().replace(/^\[(.*)\]$/, '$1')}:${port}`
}
