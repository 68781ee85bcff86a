/**
 * `npm run core` as the cluster it runs in production: 2 workers behind one
 * primary, one aggregated /metrics, a worker killed mid-traffic and restarted
 * while the other keeps serving, and a SIGTERM that drains and exits 0.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Family,
  parsePrometheusText,
  sampleValue,
} from '../../core/platform/metrics/exposition.ts'
import { freePort } from '../../scripts/dev/embedded/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import { testRedisUrl } from '../support/env.ts'
import { waitFor } from '../support/wait.ts'

const ROOT = resolve(import.meta.dirname, '../..')
let schema: TestSchema
let primary: ChildProcess
let base: string
let metricsUrl: string

/** The primary's cluster workers (it has other children too, e.g. tsx's esbuild service). */
async function workerPids(): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', [
    '-o',
    'pid=,args=',
    '--ppid',
    String(primary.pid),
  ]).catch(() => ({ stdout: '' }))
  return stdout
    .split('\n')
    .filter((line) => line.includes('core/main.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
}

async function metrics(): Promise<Map<string, Family>> {
  const res = await fetch(metricsUrl)
  if (!res.ok) throw new Error(`scrape failed: ${res.status}`)
  return parsePrometheusText(await res.text())
}

/** A request on a fresh connection, so the primary spreads requests over workers. */
const get = (path: string) => fetch(`${base}${path}`, { headers: { Connection: 'close' } })

beforeAll(async () => {
  schema = await createTestSchema('cluster')
  const [port, metricsPort] = [await freePort(), await freePort()]
  base = `http://127.0.0.1:${port}`
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`
  const db = new URL(schema.url)
  db.searchParams.set('options', `-c search_path=${schema.schema}`)
  primary = spawn(process.execPath, ['--import', 'tsx', 'core/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      CORE_WORKERS: '2',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      DATABASE_URL: db.toString(),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: `test-cluster-${schema.schema}`,
      LOG_LEVEL: 'warn',
    },
  })
  await waitFor(
    async () =>
      (await fetch(`http://127.0.0.1:${metricsPort}/readyz`).catch(() => null))?.ok
        ? true
        : undefined,
    'both workers to listen',
    30_000,
  )
})

afterAll(async () => {
  if (primary.exitCode === null) {
    primary.kill('SIGKILL')
    await once(primary, 'exit')
  }
  await schema.drop()
})

describe('core cluster', () => {
  it('Should serve one /metrics adding up every worker', async () => {
    expect(await workerPids()).toHaveLength(2)
    const answers = await Promise.all(Array.from({ length: 40 }, () => get('/healthz')))
    expect(answers.every((r) => r.status === 200)).toBe(true)
    const families = await metrics()
    const labels = { service: 'core', method: 'GET', route: '/healthz', status: '200' }
    expect(sampleValue(families, 'http_request_duration_seconds_count', labels)).toBe(40)
    // Each worker has its own pool of 10: the cluster holds 20.
    expect(sampleValue(families, 'db_pool_size', { pool: 'core' })).toBe(20)
    // Both workers report the same Redis backlog: the aggregate is not doubled.
    expect(families.get('bullmq_queue_length')?.samples.length).toBeGreaterThan(0)
    expect(sampleValue(families, 'cluster_workers_listening')).toBe(2)
    expect(sampleValue(families, 'cluster_workers_scraped')).toBe(2)
    expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge')
  })

  it('Should rank routes by latency from the aggregated histograms', async () => {
    const res = await get('/analytics/latency?top=5')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { routes: { route: string; count: number }[] }
    expect(body.routes.find((r) => r.route === '/healthz')?.count).toBeGreaterThanOrEqual(40)
  })

  it('Should restart a killed worker while the other keeps serving', async () => {
    const [victim, survivor] = await workerPids()
    process.kill(victim!, 'SIGKILL')
    // Connections handed to the victim in the instant before the primary saw it
    // die are lost (clients need timeouts); once it has, the survivor serves all.
    // Every scrape answers meanwhile: a dead or booting worker is left out of
    // the aggregate instead of failing it.
    await waitFor(
      async () =>
        sampleValue(await metrics(), 'cluster_worker_restarts_total') === 1 ? true : undefined,
      'the primary to notice the death',
    )
    const during = await Promise.all(Array.from({ length: 10 }, () => get('/healthz')))
    expect(during.every((r) => r.status === 200)).toBe(true)
    const pids = await waitFor(async () => {
      const now = await workerPids()
      return now.length === 2 && !now.includes(victim!) ? now : undefined
    }, 'a replacement worker')
    expect(pids).toContain(survivor)
    await waitFor(
      async () =>
        sampleValue(await metrics(), 'cluster_workers_listening') === 2 ? true : undefined,
      'the replacement to listen',
    )
    const after = await metrics()
    expect(sampleValue(after, 'cluster_worker_restarts_total')).toBe(1)
    expect(sampleValue(after, 'cluster_workers_scraped')).toBe(2)
  })

  it('Should drain and exit 0 on SIGTERM, leaving no worker behind', async () => {
    const pids = await workerPids()
    primary.kill('SIGTERM')
    const [code] = await once(primary, 'exit')
    expect(code).toBe(0)
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow()
  })
})
