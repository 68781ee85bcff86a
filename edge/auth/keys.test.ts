import { describe, expect, it } from 'vitest'
import { parseApiKeys } from './keys.ts'

describe('parseApiKeys', () => {
  it('Should parse name:secret pairs, trimming spaces, each key its own tenant', () => {
    expect(parseApiKeys(' a:0123456789abcdef , b:fedcba9876543210:x ')).toEqual([
      { name: 'a', tenant: 'a', secret: '0123456789abcdef' },
      { name: 'b', tenant: 'b', secret: 'fedcba9876543210:x' },
    ])
    expect(parseApiKeys(undefined)).toEqual([])
    expect(parseApiKeys('  ')).toEqual([])
  })

  it('Should read a tenant after @ in the name, never in the secret', () => {
    expect(
      parseApiKeys('ci@acme:0123456789abcdef,console@acme:fedcba98@76543210,x:a@b-0123456789abc'),
    ).toEqual([
      { name: 'ci', tenant: 'acme', secret: '0123456789abcdef' },
      { name: 'console', tenant: 'acme', secret: 'fedcba98@76543210' },
      { name: 'x', tenant: 'x', secret: 'a@b-0123456789abc' },
    ])
  })

  it('Should refuse an empty, repeated or malformed tenant, naming the entry', () => {
    for (const bad of ['a@:0123456789abcdef', 'a@b@c:0123456789abcdef', '@t:0123456789abcdef']) {
      expect(() => parseApiKeys(`ok:0123456789abcdef,${bad}`), bad).toThrow(/entry 2 .*tenant/)
    }
    expect(() => parseApiKeys(`a@${'t'.repeat(65)}:0123456789abcdef`)).toThrow(/entry 1/)
    expect(() => parseApiKeys('a@acme corp:0123456789abcdef')).toThrow(/entry 1/)
  })

  it('Should refuse a name twice even with different tenants', () => {
    expect(() => parseApiKeys('a@x:0123456789abcdef,a@y:0123456789abcdeg')).toThrow(
      /"a" appears twice/,
    )
  })

  it('Should name the bad entry without echoing its secret', () => {
    expect(() => parseApiKeys('a:0123456789abcdef,nocolon')).toThrow(/entry 2/)
    expect(() => parseApiKeys('a:shortsecret')).toThrow(/secret of "a" must be at least 16/)
    expect(() => parseApiKeys('a:0123456789abcdef,a:0123456789abcdeg')).toThrow(/appears twice/)
    expect(() => parseApiKeys('a:shortsecret')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('shortsecret') }),
    )
  })
})
