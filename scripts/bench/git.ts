/** @module The commit a benchmark ran on, for persisted results. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

/** `git rev-parse --short HEAD`, or null outside a checkout. */
export async function gitCommit(): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--short', 'HEAD'])
    return stdout.trim() || null
  } catch {
    return null
  }
}
