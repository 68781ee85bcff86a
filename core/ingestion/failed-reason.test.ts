import { describe, expect, it } from 'vitest'
import { publicFailedReason, WRITE_FAILED_REASON } from './failed-reason.ts'
import { INVALID_PAYLOAD_REASON } from './processor.ts'

describe('publicFailedReason', () => {
  it('Should show no reason for a job that has not failed', () => {
    expect(publicFailedReason(undefined)).toBeNull()
    expect(publicFailedReason('')).toBeNull()
  })

  it('Should keep the reasons the processor words for clients', () => {
    const reason = `${INVALID_PAYLOAD_REASON}: signals: too small`
    expect(publicFailedReason(reason)).toBe(reason)
  })

  it('Should replace any other text, such as the database driver text, by one fixed sentence', () => {
    for (const raw of ['relation "signals" does not exist', 'connect ECONNREFUSED 10.0.0.5:5432']) {
      expect(publicFailedReason(raw)).toBe(WRITE_FAILED_REASON)
    }
  })
})
