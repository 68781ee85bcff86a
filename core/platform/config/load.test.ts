import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './index.ts'

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('Should apply DESIGN.md defaults with nothing set', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      DB_POOL_SIZE: 10,
      SCORE_CACHE_TTL_SECONDS: 300,
      CORE_URL: 'http://127.0.0.1:3000',
      GPU_SLOTS: 1,
      EXECUTION_PROVIDERS: ['cpu'],
      MOCKUP_STORAGE_DIR: '.data/mockups',
      LOG_LEVEL: 'info',
      API_KEYS: [],
    })
    expect(config.CORE_WORKERS).toBeGreaterThan(0)
  })

  it('Should coerce and parse valid values', () => {
    const config = loadConfig({
      DB_POOL_SIZE: '25',
      EXECUTION_PROVIDERS: 'webgpu, cpu',
      API_KEYS: 'ci:0123456789abcdef',
      DATABASE_URL: 'postgres://u@db:5432/app',
    })
    expect(config.DB_POOL_SIZE).toBe(25)
    expect(config.EXECUTION_PROVIDERS).toEqual(['webgpu', 'cpu'])
    expect(config.API_KEYS).toEqual([{ name: 'ci', tenant: 'ci', secret: '0123456789abcdef' }])
  })

  it('Should take ADMIN_KEYS naming API keys, and name one that is not', () => {
    const keys = 'ci@acme:0123456789abcdef,ops:fedcba9876543210'
    expect(loadConfig({}).ADMIN_KEYS).toEqual([])
    expect(loadConfig({ API_KEYS: keys, ADMIN_KEYS: ' ops ' }).ADMIN_KEYS).toEqual(['ops'])
    expect(problems({ API_KEYS: keys, ADMIN_KEYS: 'ops,acme' })).toEqual([
      'ADMIN_KEYS: "acme" is not the name of a key in API_KEYS',
    ])
  })

  it('Should leave GPU_DEVICE unset (the worker finds its device) and take a GPU UUID', () => {
    expect(loadConfig({}).GPU_DEVICE).toBeUndefined()
    const uuid = 'GPU-8f3c1a2b-0d4e-4f5a-9b6c-7d8e9f0a1b2c'
    expect(loadConfig({ GPU_DEVICE: uuid }).GPU_DEVICE).toBe(uuid)
  })

  it.each([
    [undefined, false],
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('Should read REQUIRE_GPU=%s as %s', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { REQUIRE_GPU: value }).REQUIRE_GPU).toBe(expected)
  })

  it.each([
    [undefined, false],
    ['true', true],
    ['0', false],
  ])('Should read QUEUE_REDIS_ALLOW_VOLATILE=%s as %s', (value, expected) => {
    const env = value === undefined ? {} : { QUEUE_REDIS_ALLOW_VOLATILE: value }
    expect(loadConfig(env).QUEUE_REDIS_ALLOW_VOLATILE).toBe(expected)
  })

  it('Should default CACHE_REDIS_URL to REDIS_URL, and keep one set apart', () => {
    expect(loadConfig({}).CACHE_REDIS_URL).toBeUndefined()
    expect(loadConfig({ REDIS_URL: 'redis://queue:6379' }).CACHE_REDIS_URL).toBe(
      'redis://queue:6379',
    )
    const apart = loadConfig({
      REDIS_URL: 'redis://queue:6379',
      CACHE_REDIS_URL: 'redis://cache:6379/2',
    })
    expect(apart.REDIS_URL).toBe('redis://queue:6379')
    expect(apart.CACHE_REDIS_URL).toBe('redis://cache:6379/2')
  })

  it('Should leave the scheduled benchmark without an edge until one is configured', () => {
    expect(loadConfig({})).toMatchObject({ BENCHMARK_RUNS: 100 })
    expect(loadConfig({}).BENCHMARK_SCORE_URL).toBeUndefined()
    expect(loadConfig({}).BENCHMARK_TOPICS).toBeUndefined()
    const config = loadConfig({
      BENCHMARK_SCORE_URL: 'http://edge.shop.svc:8787',
      BENCHMARK_TOPICS: ' Retro  Cats ,boho frogs,,',
    })
    expect(config.BENCHMARK_SCORE_URL).toBe('http://edge.shop.svc:8787')
    // Normalised as /score normalises a topic.
    expect(config.BENCHMARK_TOPICS).toEqual(['retro cats', 'boho frogs'])
  })

  it('Should treat empty strings as unset', () => {
    expect(loadConfig({ DB_POOL_SIZE: '', REDIS_URL: '' }).DB_POOL_SIZE).toBe(10)
  })

  it.each([
    ['DB_POOL_SIZE', 'ten', /DB_POOL_SIZE: expected a whole number from 1 to 1000/],
    ['DB_POOL_SIZE', '0', /DB_POOL_SIZE: expected a whole number/],
    ['SCORE_CACHE_TTL_SECONDS', '1.5', /SCORE_CACHE_TTL_SECONDS: expected a whole number/],
    ['PORT', '70000', /PORT: expected a whole number from 0 to 65535/],
    ['REDIS_URL', 'http://localhost:6379', /REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL:/],
    ['EXECUTION_PROVIDERS', 'cpu,tpu', /EXECUTION_PROVIDERS: expected a comma-separated list/],
    ['GPU_DEVICE', 'gpu 0', /GPU_DEVICE: expected 1-64 characters/],
    ['REQUIRE_GPU', 'yes', /REQUIRE_GPU: expected true or false/],
    ['API_KEYS', 'ci:short', /API_KEYS: the secret of "ci" must be at least 16/],
    ['BENCHMARK_SCORE_URL', 'edge:8787', /BENCHMARK_SCORE_URL: expected a http:\/\/ or https:\/\//],
    ['BENCHMARK_TOPICS', ' , ,', /BENCHMARK_TOPICS: expected at least one topic/],
    ['BENCHMARK_TOPICS', `cats,${'x'.repeat(101)}`, /BENCHMARK_TOPICS: topic must be at most 100/],
  ])('Should name %s when it is %s', (name, value, message) => {
    const found = problems({ [name]: value })
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(message)
  })

  it('Should report every bad variable at once', () => {
    expect(problems({ DB_POOL_SIZE: 'x', GPU_SLOTS: '-1' }).map((p) => p.split(':')[0])).toEqual([
      'DB_POOL_SIZE',
      'GPU_SLOTS',
    ])
  })
})
