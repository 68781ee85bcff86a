/** The failure code a mock-up row gets for each kind of error, and what clients see of it. */
import { describe, expect, it } from 'vitest'
import { MOCKUP_FAILURES, type MockupRecord, toMockupView } from '../../edge/contracts/mockups.ts'
import { ComposeInputError } from '../../gpu-worker/compose/index.ts'
import { SdInputError } from '../../gpu-worker/sd/index.ts'
import { SlotWaitTimeoutError } from '../../gpu-worker/slots/index.ts'
import {
  failureCodeOf,
  MockupJobInputError,
  MockupStorageError,
  unrecoverable,
} from '../../gpu-worker/worker/failure.ts'

describe('failureCodeOf', () => {
  it.each([
    [
      'an SD input error, made unrecoverable',
      unrecoverable(new SdInputError('bad size')),
      'invalid_input',
    ],
    [
      'a compositor input error',
      unrecoverable(new ComposeInputError('bad design')),
      'invalid_input',
    ],
    [
      'a job outside the contract',
      unrecoverable(new MockupJobInputError('steps')),
      'invalid_input',
    ],
    ['a slot wait timeout', new SlotWaitTimeoutError('no slot'), 'gpu_busy'],
    [
      'a storage write',
      new MockupStorageError('x', { cause: new Error('EACCES') }),
      'storage_failed',
    ],
    ['a driver error', new Error('relation "mockups" does not exist'), 'generation_failed'],
    ['a thrown string', 'boom', 'generation_failed'],
  ] as const)('Should map %s', (_what, err, code) => {
    expect(failureCodeOf(err)).toBe(code)
  })
})

describe('toMockupView errors', () => {
  const failed = (error: string): MockupRecord => ({
    id: '6d1f8a36-5b8e-4a57-9d5d-0b5f2c7e4a11',
    status: 'failed',
    prompt: 'p',
    product: 'mug',
    seed: 1,
    steps: 1,
    width: 64,
    height: 64,
    provider: null,
    timings: null,
    pngKey: null,
    webpKey: null,
    error,
    attempts: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
  })

  it('Should show a stored code with its fixed message', () => {
    expect(toMockupView(failed('gpu_busy'), 0)).toMatchObject({
      errorCode: 'gpu_busy',
      error: MOCKUP_FAILURES.gpu_busy,
    })
  })

  it('Should never show raw text an older row stored', () => {
    const view = toMockupView(failed('duplicate key value violates unique constraint "x"'), 0)
    expect(view).toMatchObject({
      errorCode: 'generation_failed',
      error: MOCKUP_FAILURES.generation_failed,
    })
    expect(JSON.stringify(view)).not.toContain('duplicate key')
  })
})
