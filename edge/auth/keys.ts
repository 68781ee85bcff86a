/**
 * @module
 * Parsing of `API_KEYS` (`name[@tenant]:secret,...`). Pure, so config
 * validation and the middleware share it.
 */

/** One API key: the name goes to logs and rate limits, the secret never does. */
export interface ApiKey {
  name: string
  /** Whose mock-ups, jobs and signal ids the key's calls see and make; defaults to the name. */
  tenant: string
  secret: string
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/
/** Secrets shorter than this are refused: they would be guessable. */
export const MIN_SECRET_LENGTH = 16

/**
 * Parses `API_KEYS`. Throws an `Error` naming the bad entry by position (never
 * echoing a secret) when a pair is malformed, a name repeats or a secret is short.
 */
export function parseApiKeys(value: string | undefined): ApiKey[] {
  if (value === undefined || value.trim() === '') return []
  const keys: ApiKey[] = []
  const entries = value.split(',').map((entry) => entry.trim())
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':')
    // The secret is everything after the first colon, so only the part before it may hold an @.
    const [name = '', tenant = name, ...extra] = colon > 0 ? entry.slice(0, colon).split('@') : []
    const secret = colon > 0 ? entry.slice(colon + 1) : ''
    if (!NAME.test(name) || !NAME.test(tenant) || extra.length > 0) {
      throw new Error(
        `entry ${index + 1} must be name[@tenant]:secret with a name and tenant of [A-Za-z0-9_.-]`,
      )
    }
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`the secret of "${name}" must be at least ${MIN_SECRET_LENGTH} characters`)
    }
    if (keys.some((key) => key.name === name)) throw new Error(`the name "${name}" appears twice`)
    keys.push({ name, tenant, secret })
  }
  return keys
}
