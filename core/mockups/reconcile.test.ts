import { describe, expect, it } from 'vitest'
import { type ReconcileRow, reconcileAction } from './reconcile.ts'

const policy = { graceMs: 120_000, maxRequeues: 1 }
const row = (over: Partial<ReconcileRow>): ReconcileRow => ({
  status: 'queued',
  requeues: 0,
  ageMs: 300_000,
  ...over,
})

describe('reconcileAction', () => {
  it.each(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'])(
    'Should leave a row alone while its job is %s',
    (state) => {
      expect(reconcileAction(row({}), state, policy)).toEqual({ kind: 'none' })
      expect(reconcileAction(row({ status: 'running' }), state, policy)).toEqual({ kind: 'none' })
    },
  )

  it('Should leave rows younger than the grace alone, even without a job', () => {
    expect(reconcileAction(row({ ageMs: 119_999 }), 'unknown', policy)).toEqual({ kind: 'none' })
  })

  it.each(['completed', 'failed'] as const)('Should leave a %s row alone', (status) => {
    expect(reconcileAction(row({ status }), 'unknown', policy)).toEqual({ kind: 'none' })
  })

  it.each(['unknown', 'completed', 'failed'])(
    'Should re-queue a queued row once when its job is %s, then fail it',
    (state) => {
      expect(reconcileAction(row({}), state, policy)).toEqual({ kind: 'requeue' })
      expect(reconcileAction(row({ requeues: 1 }), state, policy)).toEqual({
        kind: 'fail',
        code: 'job_lost',
      })
    },
  )

  it('Should fail a running row whose job is gone, never re-run it', () => {
    expect(reconcileAction(row({ status: 'running' }), 'unknown', policy)).toEqual({
      kind: 'fail',
      code: 'job_lost',
    })
  })
})
