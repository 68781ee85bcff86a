import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { parseApiKeys } from '../../edge/auth/index.ts'
import { canSee, createAccessPolicy, tenantScope } from './index.ts'

const keys = parseApiKeys(
  'ci@acme:0123456789abcdef-ci,console@acme:0123456789abcdef-co,other:0123456789abcdef-ot,ops:0123456789abcdef-op',
)

describe('createAccessPolicy', () => {
  const policy = createAccessPolicy({ keys, adminKeys: ['ops'] })

  it('Should give each key its tenant, the name when none is set', () => {
    expect(policy.of('ci')).toEqual({ key: 'ci', tenant: 'acme', admin: false })
    expect(policy.of('console').tenant).toBe('acme')
    expect(policy.of('other')).toEqual({ key: 'other', tenant: 'other', admin: false })
  })

  it('Should make only the ADMIN_KEYS admins', () => {
    expect(policy.of('ops').admin).toBe(true)
    expect(keys.filter((k) => policy.of(k.name).admin).map((k) => k.name)).toEqual(['ops'])
    expect(createAccessPolicy({ keys }).of('ops').admin).toBe(false)
  })

  it('Should treat an unknown name as its own tenant without admin rights', () => {
    expect(policy.of('ghost')).toEqual({ key: 'ghost', tenant: 'ghost', admin: false })
  })

  it('Should refuse an admin key that is not an API key, naming it', () => {
    expect(() => createAccessPolicy({ keys, adminKeys: ['ops', 'opz'] })).toThrow(/"opz"/)
  })

  it('Should read the caller from the authenticated key name', async () => {
    const app = new Hono()
    app.get('/', (c) => {
      c.set('apiKeyName', 'console')
      return c.json(policy.caller(c))
    })
    expect(await (await app.request('/')).json()).toEqual({
      key: 'console',
      tenant: 'acme',
      admin: false,
    })
  })
})

describe('tenantScope and canSee', () => {
  const policy = createAccessPolicy({ keys, adminKeys: ['ops'] })

  it('Should scope a tenant to itself and an admin to everything', () => {
    expect(tenantScope(policy.of('ci'))).toBe('acme')
    expect(tenantScope(policy.of('ops'))).toBeUndefined()
    expect(canSee(policy.of('ci'), 'acme')).toBe(true)
    expect(canSee(policy.of('other'), 'acme')).toBe(false)
    expect(canSee(policy.of('ops'), 'acme')).toBe(true)
  })
})
