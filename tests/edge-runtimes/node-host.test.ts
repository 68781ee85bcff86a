/**
 * `npm run edge` (core/edge-host) with EDGE_CACHE=upstash and EDGE_DB=neon:
 * the Node host runs the clients the edge runtimes use, through the local
 * bridges, and still exports its metrics.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import { freePort } from '../../scripts/dev/embedded/index.ts'
import { waitFor } from '../support/wait.ts'
import { type EdgeTestStack, startEdgeTestStack } from './support/stack.ts'

const ROOT = resolve(import.meta.dirname, '../..')
let stack: EdgeTestStack
let host: ChildProcess
let base: string
let metricsUrl: string

beforeAll(async () => {
  stack = await startEdgeTestStack('edge_node_host', [
    {
      topic: 'neon owls',
      product: null,
      source: 'etsy',
      metric: 'sales',
      value: 4,
      observedAt: new Date(),
    },
  ])
  const [port, metricsPort] = [await freePort(), await freePort()]
  base = `http://127.0.0.1:${port}`
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`
  host = spawn(process.execPath, ['--import', 'tsx', 'core/edge-host/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      ...stack.sharedEnv('host:'),
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SCORE_L1_TTL_MS: '0',
      LOG_LEVEL: 'warn',
    },
  })
  await waitFor(
    async () =>
      (await fetch(metricsUrl.replace('/metrics', '/readyz')).catch(() => null))?.ok
        ? true
        : undefined,
    'the edge host to be ready',
    30_000,
  )
})

afterAll(async () => {
  if (host.exitCode === null) {
    host.kill('SIGTERM')
    await once(host, 'exit')
  }
  await stack.close()
})

describe('edge host on the edge clients', () => {
  it('Should answer /score through Upstash and Neon, MISS then HIT', async () => {
    const first = await fetch(`${base}/score?topic=neon%20owls`)
    expect(first.status).toBe(200)
    expect(first.headers.get('X-Cache')).toBe('MISS')
    const second = await fetch(`${base}/score?topic=neon%20owls`)
    expect(second.headers.get('X-Cache')).toBe('HIT')
    expect(second.headers.get('X-Cache-Tier')).toBe('redis')
    expect(await second.json()).toMatchObject({ topic: 'neon owls' })
    // The value went through the Upstash bridge into the shared Redis, under the prefix.
    expect(await stack.redis.redis.keys(`${stack.redis.prefix}host:score:v1:*`)).toHaveLength(1)
  })

  it('Should export its metrics, without a PostgreSQL pool of its own', async () => {
    const families = parsePrometheusText(await (await fetch(metricsUrl)).text())
    expect(
      sampleValue(families, 'score_cache_requests_total', { tier: 'redis', result: 'hit' }),
    ).toBe(1)
    expect(families.get('db_pool_size')?.samples ?? []).toEqual([])
  })
})
