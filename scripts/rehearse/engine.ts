/**
 * @module
 * The podman commands the rehearsal needs, each with a deadline: run
 * (detached or to completion), exec, kill, wait, logs, remove.
 */
import { execFile } from 'node:child_process'

/** What a finished command gave. */
export interface CommandResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `podman args...`; never throws for a non-zero exit (the caller judges). */
export function podman(args: readonly string[], timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      'podman',
      args,
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 124) : 0
        resolve({ code, stdout, stderr: stderr || (err && !stdout ? err.message : '') })
      },
    )
  })
}

/** Like {@link podman}, but a non-zero exit throws with podman's own message. */
export async function podmanOk(args: readonly string[], timeoutMs?: number): Promise<string> {
  const r = await podman(args, timeoutMs)
  if (r.code !== 0) throw new Error(`podman ${args[0]}: ${r.stderr.trim() || `exit ${r.code}`}`)
  return r.stdout
}

/** The container's exit code once it stops; undefined if it is still running after `timeoutMs`. */
export async function waitExit(name: string, timeoutMs: number): Promise<number | undefined> {
  const r = await podman(['wait', name], timeoutMs)
  if (r.code !== 0) return undefined
  const code = Number(r.stdout.trim())
  return Number.isInteger(code) ? code : undefined
}

/** The last `lines` of a container's output, for a failure report. */
export async function tailLogs(name: string, lines = 25): Promise<string> {
  const r = await podman(['logs', '--tail', String(lines), name], 10_000)
  return `${r.stdout}${r.stderr}`.trim()
}
