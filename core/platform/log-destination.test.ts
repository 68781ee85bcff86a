import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { logDestination } from './log-destination.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'log-destination-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('logDestination', () => {
  it('Should write the lines of one turn together, in order, once the turn ends', async () => {
    const file = join(dir, 'a.log')
    const destination = logDestination(file)
    for (let i = 0; i < 3; i++) destination.write(`line ${i}\n`)
    // Read synchronously: awaiting would itself end the turn.
    expect(readFileSync(file, 'utf8')).toBe('')
    // The write was queued for the end of the turn, ahead of this one.
    await new Promise((resolve) => setImmediate(resolve))
    expect(readFileSync(file, 'utf8')).toBe('line 0\nline 1\nline 2\n')
  })

  it('Should write at once when a turn has produced a lot', async () => {
    const file = join(dir, 'b.log')
    const destination = logDestination(file)
    const line = `${'x'.repeat(1023)}\n`
    for (let i = 0; i < 64; i++) destination.write(line)
    expect((await readFile(file, 'utf8')).length).toBe(64 * 1024)
  })

  it('Should write pending lines when the process exits in the same turn', async () => {
    const file = join(dir, 'c.log')
    const script = [
      "import { logDestination } from './core/platform/log-destination.ts'",
      `logDestination(${JSON.stringify(file)}).write('last words\\n')`,
      'process.exit(3)',
    ].join('\n')
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    )
    expect(child.status).toBe(3)
    expect(await readFile(file, 'utf8')).toBe('last words\n')
  })
})
