import { describe, expect, it } from 'vitest'
import { deniedEntry } from './commands.ts'

describe('deniedEntry', () => {
  it('Should refuse denied names in any case, and denied subcommands only', () => {
    expect(deniedEntry(['flushdb'])).toBe('FLUSHDB')
    expect(deniedEntry(['Script', 'kill'])).toBe('SCRIPT KILL')
    expect(deniedEntry(['SCRIPT', 'LOAD', 'return 1'])).toBeUndefined()
    expect(deniedEntry(['CLIENT', 'kill', 'id', 1])).toBe('CLIENT KILL')
    expect(deniedEntry(['GET', 'flushall'])).toBeUndefined()
  })
})
