import { describe, expect, it } from 'vitest'
import { createAllowList, parseAddress, parseConnectionTarget } from './allow-list.ts'

describe('createAllowList', () => {
  it('Should take host:port, a bare host and a URL, without keeping credentials', () => {
    const allow = createAllowList(['db.local:6543', 'LOCALHOST', 'postgres://u:secret@[::1]/x'])
    expect(allow.entries).toEqual(['db.local:6543', 'localhost:5432', '::1:5432'])
    expect(allow.allows('db.local', 6543)).toBe(true)
    expect(allow.allows('localhost', 5432)).toBe(true)
    expect(allow.allows('[::1]', 5432)).toBe(true)
    expect(allow.allows('db.local', 5432)).toBe(false)
  })

  it('Should throw on an empty list or an unreadable entry, never echoing it', () => {
    expect(() => createAllowList([])).toThrow('at least one')
    expect(() => createAllowList(['ok:1', 'mysql://u:secret@h/x'])).toThrow(/entry 2/)
    expect(() => createAllowList(['mysql://u:secret@h/x'])).not.toThrow(/secret/)
  })
})

describe('parseAddress and parseConnectionTarget', () => {
  it('Should read host and port', () => {
    expect(parseAddress('127.0.0.1:5432')).toEqual({ host: '127.0.0.1', port: 5432 })
    expect(parseAddress('[::1]:5433')).toEqual({ host: '[::1]', port: 5433 })
    expect(parseAddress('h:99999')).toBeUndefined()
    expect(parseAddress('')).toBeUndefined()
    expect(parseConnectionTarget('postgresql://u@h/db')).toEqual({ host: 'h', port: 5432 })
    expect(parseConnectionTarget('http://h/db')).toBeUndefined()
    expect(parseConnectionTarget('not a url')).toBeUndefined()
  })
})
