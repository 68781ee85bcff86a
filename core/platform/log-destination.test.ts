import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../tests/support/wait.ts'
import { FLUSH_INTERVAL_MS, logDestination } from './log-destination.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'log-destination-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Node's arguments to run `lines` as a module that has `logDestination` imported. */
function withDestination(...lines: string[]): string[] {
  const script = ["import { logDestination } from './core/platform/log-destination.ts'", ...lines]
  return ['--import', 'tsx', '--input-type=module', '-e', script.join('\n')]
}

/** What `child` writes to its stdout pipe, read only after `ms` so the pipe fills first. */
async function linesReadLate(child: ChildProcessByStdio<null, Readable, null>, ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms))
  const chunks: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  const [code] = await once(child, 'close')
  expect(code).toBe(0)
  const lines = Buffer.concat(chunks).toString('utf8').split('\n')
  expect(lines.pop()).toBe('')
  return lines
}

describe('logDestination', () => {
  it('Should hold lines for the flush interval, then write them together, in order', async () => {
    const file = join(dir, 'a.log')
    const destination = logDestination(file)
    for (let i = 0; i < 3; i++) destination.write(`line ${i}\n`)
    await new Promise((resolve) => setImmediate(resolve))
    expect(readFileSync(file, 'utf8')).toBe('')
    // The timer fires after FLUSH_INTERVAL_MS, later on a loaded machine.
    const written = await waitFor(
      async () => readFileSync(file, 'utf8') || undefined,
      `lines after ${FLUSH_INTERVAL_MS} ms`,
    )
    expect(written).toBe('line 0\nline 1\nline 2\n')
  })

  it('Should write at once when 64 KiB are pending', async () => {
    const file = join(dir, 'b.log')
    const destination = logDestination(file)
    const line = `${'x'.repeat(1023)}\n`
    for (let i = 0; i < 64; i++) destination.write(line)
    expect((await readFile(file, 'utf8')).length).toBe(64 * 1024)
  })

  it.each([
    ['exits', 'process.exit(3)', 3],
    ['dies of an uncaught exception', "throw new Error('boom')", 1],
  ])('Should write pending lines when the process %s', async (_, ending, status) => {
    const file = join(dir, 'c.log')
    const script = withDestination(
      `logDestination(${JSON.stringify(file)}).write('last words\\n')`,
      ending,
    )
    const child = spawnSync(process.execPath, script, { encoding: 'utf8' })
    expect(child.status).toBe(status)
    expect(await readFile(file, 'utf8')).toBe('last words\n')
  })

  it('Should write multi-byte lines and a line larger than a turn intact', async () => {
    const file = join(dir, 'd.log')
    const destination = logDestination(file)
    const wide = `${'€😀é'.repeat(40_000)}\n`
    destination.write('naïve\n')
    destination.write(wide)
    destination.write('fin\n')
    destination.flushSync()
    expect(await readFile(file, 'utf8')).toBe(`naïve\n${wide}fin\n`)
  })

  it('Should wait out a full non-blocking stdout pipe and lose nothing', async () => {
    // Touching process.stdout makes a piped fd 1 non-blocking (libuv): a write larger than
    // the pipe's 64 KiB is then partial, and the next one fails with EAGAIN until read.
    const script = withDestination(
      'void process.stdout',
      'const destination = logDestination(1)',
      "for (let i = 0; i < 4000; i++) destination.write(String(i).padStart(6, '0') + 'x'.repeat(500) + '\\n')",
      'destination.flushSync()',
    )
    const child = spawn(process.execPath, script, { stdio: ['ignore', 'pipe', 'inherit'] })
    const lines = await linesReadLate(child, 300)
    expect(lines).toHaveLength(4000)
    lines.forEach((line, i) => {
      expect(line).toBe(`${String(i).padStart(6, '0')}${'x'.repeat(500)}`)
    })
  })

  it('Should keep the process running and say so once when its log cannot be written', () => {
    const script = withDestination(
      // No such descriptor: every write fails with EBADF.
      'const destination = logDestination(99)',
      "destination.write('lost\\n')",
      'destination.flushSync()',
      "destination.write('lost too\\n')",
      'destination.flushSync()',
      "process.stdout.write('still serving')",
    )
    const child = spawnSync(process.execPath, script, { encoding: 'utf8' })
    expect(child.status).toBe(0)
    expect(child.stdout).toBe('still serving')
    expect(child.stderr.match(/log destination 99 failed/g)).toHaveLength(1)
    expect(child.stderr).toContain('EBADF')
  })

  it('Should never split a line between two processes sharing a stdout pipe', async () => {
    // Cluster workers share the primary's stdout. Pipe writes of up to PIPE_BUF (4 KiB)
    // are atomic; a longer one can be cut short when the pipe is full and another
    // process's write lands in the gap, in the middle of a line.
    const writer = (name: string) =>
      withDestination(
        'void process.stdout',
        'const destination = logDestination(1)',
        `for (let i = 0; i < 3000; i++) destination.write('${name}' + String(i).padStart(6, '0') + 'x'.repeat(300) + '\\n')`,
        'destination.flushSync()',
      )
        .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
        .join(' ')
    const node = process.execPath
    const child = spawn('sh', ['-c', `${node} ${writer('A')} & ${node} ${writer('B')} & wait`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const lines = await linesReadLate(child, 500)
    const broken = lines.filter((line) => !/^[AB]\d{6}x{300}$/.test(line))
    expect(broken).toEqual([])
    expect(lines).toHaveLength(6000)
  })
})
