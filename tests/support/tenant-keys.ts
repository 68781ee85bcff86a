/**
 * @module
 * The keys the tenant tests share: two keys of tenant `acme`, a rival tenant
 * and an admin (`ops`, for `ADMIN_KEYS`), and the headers each one sends.
 */
import { parseApiKeys } from '../../edge/auth/index.ts'

/** `ci` and `console` of tenant `acme`, `rival` (its own tenant), `ops` (the admin). */
export const tenantKeys = parseApiKeys(
  [
    'ci@acme:acme-ci-secret-0123456789',
    'console@acme:acme-console-secret-0123',
    'rival:rival-secret-0123456789',
    'ops:ops-secret-0123456789',
  ].join(','),
)

/** The admin among {@link tenantKeys}. */
export const TENANT_ADMIN = 'ops'

/** JSON request headers authenticated as key `name` of {@link tenantKeys}. */
export function asKey(name: string): Record<string, string> {
  const key = tenantKeys.find((k) => k.name === name)
  if (!key) throw new Error(`no test key named ${name}`)
  return { Authorization: `Bearer ${key.secret}`, 'Content-Type': 'application/json' }
}
