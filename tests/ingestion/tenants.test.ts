/**
 * Signals per tenant (issue #22): a signal id dedupes within its tenant only,
 * so one key cannot pre-claim another tenant's ids; a job's status and the
 * refused signals are its tenant's (and the admin's); keys sharing a tenant
 * share them. Real queue, worker and schema.
 */
import { describe, expect, it } from 'vitest'
import { createAccessPolicy } from '../../core/access/index.ts'
import { createCoreApp } from '../../core/http/app.ts'
import { signalRoutes } from '../../core/ingestion/index.ts'
import type { QueuedSignal } from '../../edge/contracts/signals.ts'
import { asKey, TENANT_ADMIN, tenantKeys } from '../support/tenant-keys.ts'
import { completedJob, signal, silentLogger, useWorkerHarness } from './harness.ts'

const t = useWorkerHarness('tenants')

/** A core app with every key, `ops` the admin, over the harness's queue and schema. */
const app = () =>
  createCoreApp({
    logger: silentLogger,
    observe: () => {},
    apiKeys: tenantKeys,
    routes: [
      signalRoutes({
        queue: t.h.queue,
        db: t.h.pool,
        access: createAccessPolicy({ keys: tenantKeys, adminKeys: [TENANT_ADMIN] }),
      }),
    ],
  })

/** POSTs `signals` as `name` and waits until the job completed; its id and result. */
async function ingest(name: string, signals: unknown[]) {
  const res = await app().request('/signals', {
    method: 'POST',
    headers: asKey(name),
    body: JSON.stringify({ signals }),
  })
  expect(res.status).toBe(202)
  const { jobId } = (await res.json()) as { jobId: string }
  const job = await completedJob(t.h.queue, jobId)
  return { jobId, result: job.returnvalue as { inserted: number } }
}

/** A signal as core queues it (normalised), with `extra` fields. */
const queued = (extra: Partial<QueuedSignal>): QueuedSignal => ({
  topic: 'tenants',
  product: null,
  source: 'etsy',
  metric: 'sales',
  value: 1,
  observedAt: '2025-01-01T00:00:00.000Z',
  ...extra,
})

const tenantsOf = async (id: string) => {
  const { rows } = await t.h.pool.query<{ tenant: string }>(
    `SELECT tenant FROM signals WHERE dedupe_key = $1 ORDER BY tenant`,
    [`id:${id}`],
  )
  return rows.map((r) => r.tenant)
}

describe('signal ids per tenant', () => {
  it('Should store one tenant’s id once, and the same id of another tenant too', async () => {
    const claimed = signal(1, { id: 'order-42' })
    expect((await ingest('rival', [claimed])).result.inserted).toBe(1)
    // The rival posted first: acme's signal with that id is still acme's to store.
    expect((await ingest('ci', [claimed])).result.inserted).toBe(1)
    // Another key of acme re-posting it is a duplicate within the tenant.
    expect((await ingest('console', [claimed])).result.inserted).toBe(0)
    expect(await tenantsOf('order-42')).toEqual(['acme', 'rival'])
  })

  it('Should file a job queued before tenants under its poster’s name', async () => {
    // A payload as core wrote it before migration 0009: no tenant field.
    const job = await t.h.queue.add('batch', {
      signals: [queued({ id: 'legacy-1' })],
      postedBy: 'rival',
      acceptedAt: new Date().toISOString(),
    })
    await completedJob(t.h.queue, job.id as string)
    expect(await tenantsOf('legacy-1')).toEqual(['rival'])
    const status = (name: string) =>
      app().request(`/signals/jobs/${job.id}`, { headers: asKey(name) })
    expect((await status('rival')).status).toBe(200)
    expect((await status('ci')).status).toBe(404)
  })
})

describe('job status per tenant', () => {
  it('Should show a job to its tenant’s keys and the admin, and 404 to another tenant', async () => {
    const { jobId } = await ingest('ci', [signal(3)])
    const status = async (name: string) =>
      (await app().request(`/signals/jobs/${jobId}`, { headers: asKey(name) })).status
    expect(await status('ci')).toBe(200)
    expect(await status('console')).toBe(200)
    expect(await status('ops')).toBe(200)
    expect(await status('rival')).toBe(404)
    // Exactly the answer for an id that does not exist: nothing confirms it.
    const missing = await app().request('/signals/jobs/999999999', { headers: asKey('rival') })
    const theirs = await app().request(`/signals/jobs/${jobId}`, { headers: asKey('rival') })
    const codeOf = async (res: Response) =>
      ((await res.json()) as { error: { code: string } }).error.code
    expect(theirs.status).toBe(missing.status)
    expect(await codeOf(theirs)).toBe(await codeOf(missing))
  })
})

describe('refused signals per tenant', () => {
  /** A crafted job of `tenant` whose one signal the topic CHECK refuses (23514). */
  async function refusedJob(tenant: string, postedBy: string): Promise<string> {
    const job = await t.h.queue.add('batch', {
      // Not normalised: the topic CHECK refuses it.
      signals: [queued({ topic: 'Not Normalised' })],
      postedBy,
      tenant,
      acceptedAt: new Date().toISOString(),
    })
    await completedJob(t.h.queue, job.id as string)
    return job.id as string
  }

  it('Should list a tenant’s refused signals to its keys and the admin only', async () => {
    const acme = await refusedJob('acme', 'ci')
    const rival = await refusedJob('rival', 'rival')
    const jobs = async (name: string) => {
      const res = await app().request('/signals/rejected', { headers: asKey(name) })
      expect(res.status).toBe(200)
      return ((await res.json()) as { items: { jobId: string }[] }).items.map((i) => i.jobId)
    }
    expect(await jobs('console')).toEqual([acme])
    expect(await jobs('rival')).toEqual([rival])
    expect(await jobs('ops')).toEqual([rival, acme])
  })
})
