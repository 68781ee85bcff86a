/**
 * @module
 * Running `wrk` (Debian package) against a URL and reading its numbers. wrk,
 * not autocannon: on these machines a Node load generator cannot saturate a
 * Node server (FACTS.md).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { findExecutable } from '../dev/embedded/which.ts'

const run = promisify(execFile)

/** One wrk run's result. */
export interface WrkResult {
  /** Requests completed in the run. */
  requests: number
  requestsPerSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  non2xx: number
}

/** Options of {@link runWrk}. */
export interface WrkOptions {
  url: string
  durationS: number
  connections: number
  /** CPU list for `taskset` (keeps wrk off the server's core). */
  cpus?: string
}

/** The wrk binary, or an error telling how to install it. */
export async function requireWrk(): Promise<string> {
  const wrk = await findExecutable('wrk')
  if (!wrk) throw new Error('wrk is not installed: apt-get install wrk')
  return wrk
}

function ms(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text)
  if (!match) return Number.NaN
  const value = Number(match[1])
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value
}

/** Parses wrk's `--latency` report. */
export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output)
  if (!rps) throw new Error(`cannot read wrk output:\n${output}`)
  return {
    requests: Number(/(\d+) requests in/.exec(output)?.[1] ?? Number.NaN),
    requestsPerSecond: Number(rps[1]),
    latencyP50Ms: ms(/\s50%\s+(\S+)/.exec(output)?.[1] ?? ''),
    latencyP99Ms: ms(/\s99%\s+(\S+)/.exec(output)?.[1] ?? ''),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0),
  }
}

/** Runs wrk once with one thread. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const wrk = await requireWrk()
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.durationS}s`,
    '--latency',
    options.url,
  ]
  const taskset = options.cpus ? await findExecutable('taskset') : undefined
  const { stdout } = taskset
    ? await run(taskset, ['-c', options.cpus!, wrk, ...args])
    : await run(wrk, args)
  return parseWrk(stdout)
}
