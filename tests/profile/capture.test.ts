/**
 * scripts/capture_profile.ts as a process: it profiles a module with a known
 * hot function and finds it first by self time, on the TypeScript source
 * lines; a module that never ends is stopped by --duration.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import type { Profiler } from 'node:inspector'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { analyzeProfile, topFunctions } from '../../scripts/profile/analyze.ts'

const ROOT = join(import.meta.dirname, '../..')
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'profile-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const capture = (...args: string[]) =>
  promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/capture_profile.ts', ...args],
    {
      cwd: ROOT,
      timeout: 20_000,
    },
  )

describe('capture_profile', () => {
  test('Should find hotLoop at the top of self time and save a loadable profile', async () => {
    const output = join(dir, 'hot.cpuprofile')
    const { stdout } = await capture(
      'tests/profile/fixtures/hot.ts',
      '--output',
      output,
      '--',
      '300',
    )
    // The module ran as if started directly, with its own argument.
    expect(stdout).toMatch(/^hot: \d+$/m)
    expect(stdout).toContain('(module completed)')
    const selfTable = stdout.split('Top 20 functions by self time\n')[1]!.split('\n')
    expect(selfTable[1]).toMatch(/\bhotLoop\s+tests\/profile\/fixtures\/hot\.ts:8:\d+$/)

    const profile = JSON.parse(await readFile(output, 'utf8')) as Profiler.Profile
    expect(profile.samples?.length).toBe(profile.timeDeltas?.length)
    const [top] = topFunctions(analyzeProfile(profile), 'self', 1)
    expect(top).toMatchObject({ name: 'hotLoop', url: expect.stringMatching(/fixtures\/hot\.ts$/) })
    expect(top!.selfMs).toBeGreaterThan(150)
  })

  test('Should stop a module that never ends after --duration', async () => {
    const output = join(dir, 'forever.cpuprofile')
    const started = Date.now()
    const { stdout } = await capture(
      'tests/profile/fixtures/forever.ts',
      '--duration',
      '0.6',
      '--output',
      output,
    )
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(stdout).toContain('(--duration 0.6s elapsed)')
    const summary = analyzeProfile(JSON.parse(await readFile(output, 'utf8')) as Profiler.Profile)
    expect(topFunctions(summary, 'self', 1)[0]?.name).toBe('tick')
  })

  test('Should refuse a missing module with exit code 2', async () => {
    await expect(capture('tests/profile/fixtures/nope.ts')).rejects.toMatchObject({ code: 2 })
  })
})
