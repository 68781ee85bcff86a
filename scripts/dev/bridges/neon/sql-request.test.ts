import { describe, expect, it } from 'vitest'
import { beginStatement } from './sql-request.ts'

describe('beginStatement', () => {
  it('Should map the Neon batch headers to BEGIN modes', () => {
    expect(beginStatement({})).toEqual({ sql: 'BEGIN' })
    expect(
      beginStatement({ isolationLevel: 'RepeatableRead', readOnly: 'true', deferrable: 'false' }),
    ).toEqual({ sql: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY NOT DEFERRABLE' })
    expect(beginStatement({ isolationLevel: 'serializable' })).toHaveProperty('error')
    expect(beginStatement({ readOnly: 'yes' })).toEqual({
      error: 'Neon-Batch-Read-Only must be true or false',
    })
  })
})
