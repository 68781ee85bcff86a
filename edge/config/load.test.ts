import { describe, expect, it } from 'vitest'
import { EdgeConfigError, loadEdgeConfig } from './index.ts'

const REQUIRED = {
  UPSTASH_REDIS_REST_URL: 'https://eu1-x.upstash.io',
  UPSTASH_REDIS_REST_TOKEN: 'token',
  NEON_DATABASE_URL: 'postgres://u:p@ep-x.neon.tech/db',
  CORE_URL: 'https://core.example.com',
  EDGE_SERVICE_KEY: 'edge-service-key-0123456789',
}

function problems(env: Record<string, unknown>): string[] {
  try {
    loadEdgeConfig(env)
  } catch (err) {
    if (err instanceof EdgeConfigError) return err.problems
    throw err
  }
  throw new Error('expected an EdgeConfigError')
}

describe('loadEdgeConfig', () => {
  it('Should apply the defaults', () => {
    expect(loadEdgeConfig(REQUIRED)).toEqual({
      ...REQUIRED,
      SCORE_CACHE_TTL_SECONDS: 300,
      SCORE_L1_TTL_MS: 2000,
      SCORE_L1_MAX_ENTRIES: 10_000,
      SCORE_CACHE_TIMEOUT_MS: 250,
      SCORE_CACHE_PREFIX: '',
      EDGE_CACHE: 'upstash',
      EDGE_DB: 'neon',
      LOG_LEVEL: 'info',
      API_KEYS: [],
      TRUST_PROXY: { kind: 'none' },
      RATE_LIMIT_PER_MINUTE: 600,
      CORS_ORIGINS: [],
    })
  })

  it('Should parse CORS_ORIGINS and refuse a path or a wildcard in it', () => {
    const config = loadEdgeConfig({ ...REQUIRED, CORS_ORIGINS: 'https://console.example.com' })
    expect(config.CORS_ORIGINS).toEqual(['https://console.example.com'])
    expect(() => loadEdgeConfig({ ...REQUIRED, CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/)
    expect(() => loadEdgeConfig({ ...REQUIRED, RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(
      /RATE_LIMIT_PER_MINUTE/,
    )
  })

  it('Should parse API_KEYS and CORE_URL', () => {
    const config = loadEdgeConfig({
      ...REQUIRED,
      API_KEYS: 'console:0123456789abcdef-console',
      CORE_URL: 'https://core.internal:8443',
    })
    expect(config.API_KEYS).toEqual([
      { name: 'console', tenant: 'console', secret: '0123456789abcdef-console' },
    ])
    expect(config.CORE_URL).toBe('https://core.internal:8443')
  })

  it('Should coerce numbers, keep 0 as "L1 off", and ignore non-string bindings', () => {
    const config = loadEdgeConfig({
      ...REQUIRED,
      SCORE_CACHE_TTL_SECONDS: '1',
      SCORE_L1_TTL_MS: '0',
      SCORE_CACHE_PREFIX: 'tenant-a:',
      NEON_FETCH_ENDPOINT: 'http://127.0.0.1:4444/sql',
      // A Worker's env also holds bindings such as KV namespaces.
      SCORES_KV: { get: () => null },
    })
    expect(config).toMatchObject({
      SCORE_CACHE_TTL_SECONDS: 1,
      SCORE_L1_TTL_MS: 0,
      SCORE_CACHE_PREFIX: 'tenant-a:',
      NEON_FETCH_ENDPOINT: 'http://127.0.0.1:4444/sql',
    })
  })

  it('Should need no Upstash settings with the memory cache', () => {
    expect(
      loadEdgeConfig({
        ...REQUIRED,
        UPSTASH_REDIS_REST_URL: '',
        UPSTASH_REDIS_REST_TOKEN: '',
        EDGE_CACHE: 'memory',
      }).EDGE_CACHE,
    ).toBe('memory')
  })

  it('Should take a soft TTL below the hard one and refuse one at or past it, naming it', () => {
    const config = loadEdgeConfig({ ...REQUIRED, SCORE_CACHE_SOFT_TTL_SECONDS: '60' })
    expect(config.SCORE_CACHE_SOFT_TTL_SECONDS).toBe(60)
    expect(problems({ ...REQUIRED, SCORE_CACHE_SOFT_TTL_SECONDS: '300' })).toEqual([
      'SCORE_CACHE_SOFT_TTL_SECONDS: must be below SCORE_CACHE_TTL_SECONDS (300)',
    ])
    expect(problems({ ...REQUIRED, SCORE_STALE_IF_ERROR: '-1' })[0]).toMatch(
      /^SCORE_STALE_IF_ERROR: expected a whole number/,
    )
  })

  it('Should treat empty strings as unset', () => {
    expect(
      loadEdgeConfig({ ...REQUIRED, SCORE_CACHE_TTL_SECONDS: '' }).SCORE_CACHE_TTL_SECONDS,
    ).toBe(300)
  })

  it.each([
    ['SCORE_CACHE_TTL_SECONDS', '0', /SCORE_CACHE_TTL_SECONDS: expected a whole number from 1/],
    ['SCORE_CACHE_TTL_SECONDS', '1.5', /SCORE_CACHE_TTL_SECONDS: expected a whole number/],
    ['SCORE_L1_TTL_MS', '-1', /SCORE_L1_TTL_MS: expected a whole number from 0/],
    ['SCORE_L1_MAX_ENTRIES', 'many', /SCORE_L1_MAX_ENTRIES: expected a whole number/],
    ['EDGE_CACHE', 'ioredis', /EDGE_CACHE: expected upstash or memory \(ioredis runs only on Node/],
    ['EDGE_DB', 'pg', /EDGE_DB: expected neon \(pg runs only on Node/],
    ['UPSTASH_REDIS_REST_URL', 'redis://x:6379', /UPSTASH_REDIS_REST_URL: expected a http/],
    ['NEON_DATABASE_URL', 'mysql://x/db', /NEON_DATABASE_URL: expected a postgres/],
    ['NEON_FETCH_ENDPOINT', 'not a url', /NEON_FETCH_ENDPOINT: expected a http/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of trace, debug/],
    ['CORE_URL', 'ftp://core', /CORE_URL: expected a http/],
    ['API_KEYS', 'console:short', /API_KEYS: the secret of "console" must be at least 16/],
    ['EDGE_SERVICE_KEY', 'short', /EDGE_SERVICE_KEY: expected at least 16 characters/],
    [
      'TRUST_PROXY',
      '10.0.0.0/40',
      /TRUST_PROXY: entry 1 \("10.0.0.0\/40"\) is not an IPv4 or IPv6 CIDR/,
    ],
    ['RATE_LIMIT_PROCESSES', '0', /RATE_LIMIT_PROCESSES: expected a whole number from 1/],
  ])('Should name %s when it is %j', (name, value, message) => {
    const found = problems({ ...REQUIRED, [name]: value })
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(message)
  })

  it('Should name each variable a chosen client needs', () => {
    expect(problems({})).toEqual([
      'UPSTASH_REDIS_REST_URL: required when EDGE_CACHE is upstash',
      'UPSTASH_REDIS_REST_TOKEN: required when EDGE_CACHE is upstash',
      'NEON_DATABASE_URL: required when EDGE_DB is neon',
      "CORE_URL: required on Workers and Deno (core's public URL, which the gateway calls)",
      'EDGE_SERVICE_KEY: required on Workers and Deno (the credential the edge presents to core)',
    ])
  })

  it('Should parse TRUST_PROXY and RATE_LIMIT_PROCESSES', () => {
    const config = loadEdgeConfig({
      ...REQUIRED,
      TRUST_PROXY: '10.0.0.0/8, 2001:db8::/32',
      RATE_LIMIT_PROCESSES: '4',
    })
    expect(config.TRUST_PROXY.kind).toBe('ranges')
    expect(config.RATE_LIMIT_PROCESSES).toBe(4)
    expect(loadEdgeConfig({ ...REQUIRED, TRUST_PROXY: '2' }).TRUST_PROXY).toEqual({
      kind: 'hops',
      hops: 2,
    })
  })
})
