/**
 * @module
 * Overhead of `addProfiling`: throughput of a trivial Hono route with and
 * without it, in one run, logging at info to a file (not silenced).
 * Rounds alternate plain/profiled so drift on a noisy machine hits both.
 *
 *   npx tsx scripts/bench_profiling.ts [--duration 5] [--rounds 3] [--connections 50]
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { freePort } from '../core/platform/embedded/index.ts'
import { median } from './bench/stats.ts'
import { requireWrk, runWrk, type WrkResult } from './bench/wrk.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
  },
})
const durationS = Number(values.duration)
const rounds = Number(values.rounds)
const connections = Number(values.connections)
if (![durationS, rounds, connections].every((n) => Number.isInteger(n) && n > 0)) {
  process.stderr.write('--duration, --rounds and --connections must be positive whole numbers\n')
  process.exit(2)
}

const ROOT = resolve(import.meta.dirname, '..')
const MODES = ['plain', 'profiled'] as const
type Mode = (typeof MODES)[number]

async function startServer(
  mode: Mode,
  logFile: string,
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort()
  // The server gets core 1, wrk core 0 (where taskset exists).
  const child = spawn(
    'taskset',
    [
      '-c',
      '1',
      process.execPath,
      '--import',
      'tsx',
      'scripts/bench/trivial-server.ts',
      mode,
      String(port),
      logFile,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const [line] = (await once(child.stdout!, 'data')) as [Buffer]
  if (!line.toString().startsWith('listening')) throw new Error(`server did not start: ${line}`)
  return { child, port }
}

await requireWrk()
const dir = await mkdtemp(join(tmpdir(), 'bench-profiling-'))
const logFile = join(dir, 'requests.log')
const results: Record<Mode, WrkResult[]> = { plain: [], profiled: [] }
try {
  const servers = {
    plain: await startServer('plain', logFile),
    profiled: await startServer('profiled', logFile),
  }
  // Warm-up: JIT both servers before measuring.
  for (const mode of MODES) {
    await runWrk({
      url: `http://127.0.0.1:${servers[mode].port}/ping/1`,
      durationS: 2,
      connections,
      cpus: '0',
    })
  }
  for (let round = 1; round <= rounds; round++) {
    for (const mode of round % 2 ? MODES : [...MODES].reverse()) {
      const result = await runWrk({
        url: `http://127.0.0.1:${servers[mode].port}/ping/${round}`,
        durationS,
        connections,
        cpus: '0',
      })
      results[mode].push(result)
      process.stdout.write(
        `round ${round}/${rounds} ${mode.padEnd(8)} ${result.requestsPerSecond.toFixed(0)} req/s  p50 ${result.latencyP50Ms.toFixed(2)} ms  p99 ${result.latencyP99Ms.toFixed(2)} ms\n`,
      )
    }
  }
  for (const { child } of Object.values(servers)) child.kill('SIGTERM')
} finally {
  const logBytes = await stat(logFile).then(
    (s) => s.size,
    () => 0,
  )
  await rm(dir, { recursive: true, force: true })
  const plain = median(results.plain.map((r) => r.requestsPerSecond))
  const profiled = median(results.profiled.map((r) => r.requestsPerSecond))
  if (results.plain.length && results.profiled.length) {
    const overhead = (1 - profiled / plain) * 100
    process.stdout.write(`\nPlain:    ${plain.toFixed(0)} req/s (median of ${rounds})\n`)
    process.stdout.write(`Profiled: ${profiled.toFixed(0)} req/s (median of ${rounds})\n`)
    // The same cost in time: what a route doing real work pays per request.
    const perRequestUs = (1 / profiled - 1 / plain) * 1e6
    process.stdout.write(
      `Overhead: ${overhead.toFixed(1)}% (goal < 5%), ${perRequestUs.toFixed(1)} µs per request; request log written: ${(logBytes / 1e6).toFixed(1)} MB\n`,
    )
  }
}
