/**
 * @module
 * Who a caller is, from the name of the key that authenticated it: its tenant
 * (`API_KEYS` `name@tenant`, else the name) and whether it is an admin
 * (`ADMIN_KEYS`). The one place routes ask, so tenancy is decided alike
 * everywhere.
 */
import type { Context } from 'hono'
import type { ApiKey } from '../../edge/auth/index.ts'

/** The caller of a request, after authentication. */
export interface Caller {
  /** Name of its API key (never the secret). */
  key: string
  tenant: string
  /** Sees every tenant; the only kind of caller admin routes accept. */
  admin: boolean
}

/** Maps authenticated key names to callers. */
export interface AccessPolicy {
  /** The caller behind key `name`; a name not in `API_KEYS` is its own tenant, not an admin. */
  of(name: string): Caller
  /** The caller of an authenticated request (its `apiKeyName`). */
  caller(c: Context): Caller
}

/** Options of {@link createAccessPolicy}. */
export interface AccessPolicyOptions {
  keys: readonly ApiKey[]
  /** Names of the admin keys (`ADMIN_KEYS`). @defaultValue none */
  adminKeys?: readonly string[]
}

/**
 * Builds the policy. Throws naming an admin key that is not in `keys`: a typo
 * must not silently leave the admin pages closed (or open to a later key).
 */
export function createAccessPolicy(options: AccessPolicyOptions): AccessPolicy {
  const tenants = new Map(options.keys.map((key) => [key.name, key.tenant]))
  const admins = new Set(options.adminKeys ?? [])
  for (const name of admins) {
    if (!tenants.has(name)) throw new Error(`admin key "${name}" is not in API_KEYS`)
  }
  const of = (name: string): Caller => ({
    key: name,
    tenant: tenants.get(name) ?? name,
    admin: admins.has(name),
  })
  return { of, caller: (c) => of(c.get('apiKeyName')) }
}

/**
 * The tenant a query is limited to: the caller's, or undefined (every tenant)
 * for an admin.
 */
export function tenantScope(caller: Caller): string | undefined {
  return caller.admin ? undefined : caller.tenant
}

/** Whether `caller` may see what `owner` (a tenant) owns. */
export function canSee(caller: Caller, owner: string): boolean {
  return caller.admin || caller.tenant === owner
}
