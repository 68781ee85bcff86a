import { describe, expect, it } from 'vitest'
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable.ts'

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code })

describe('isDatabaseUnavailable', () => {
  it.each([
    ['refused', withCode('ECONNREFUSED')],
    ['reset', withCode('ECONNRESET')],
    ['timed out', withCode('ETIMEDOUT')],
    ['connection exception (08006)', withCode('08006')],
    ['admin shutdown (57P01)', withCode('57P01')],
    ['cannot connect now (57P03)', withCode('57P03')],
    ['too many connections (53300)', withCode('53300')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['terminated', new Error('Connection terminated unexpectedly')],
    ['wrapped once', new Error('insert failed', { cause: withCode('ECONNREFUSED') })],
  ])('Should call %s an outage', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true)
    expect(databaseUnavailable(err)?.status).toBe(503)
  })

  it.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a bad value (22P02)', withCode('22P02')],
    ['a syntax error (42601)', withCode('42601')],
    ['a plain error', new Error('invalid payload')],
    ['a string', 'ECONNREFUSED'],
    ['undefined', undefined],
  ])('Should not call %s an outage', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false)
    expect(databaseUnavailable(err)).toBeUndefined()
  })
})
