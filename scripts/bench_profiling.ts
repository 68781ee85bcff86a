/**
 * @module
 * Overhead of `addProfiling`: throughput of a trivial Hono route with and
 * without it, in one run, logging at info to a file (not silenced).
 *
 * Both servers run at the same time, pinned to the same core, each under its
 * own wrk (on the other core) for every round. Measured one after the other,
 * the same server's throughput moved by ±20% between rounds on these shared
 * machines, more than the overhead being measured; served side by side, both
 * see the same machine. Each round reports requests per second and the CPU
 * each server used per request (from /proc); the overhead is the median over
 * rounds of each round's ratio.
 *
 *   npx tsx scripts/bench_profiling.ts [--duration 3] [--rounds 9] [--connections 50]
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { freePort } from '../core/platform/embedded/index.ts'
import { processCpuSeconds } from './bench/process-cpu.ts'
import { median } from './bench/stats.ts'
import { requireWrk, runWrk } from './bench/wrk.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '9' },
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
/** The servers' core and the load generators' core (where taskset exists). */
const SERVER_CPU = '1'
const WRK_CPU = '0'

interface Server {
  child: ChildProcess
  port: number
}

/** One server's share of a round. */
interface Share {
  requestsPerSecond: number
  /** CPU per request in µs; NaN where /proc cannot be read. */
  cpuUs: number
}

async function startServer(mode: Mode, logFile: string): Promise<Server> {
  const port = await freePort()
  const child = spawn(
    'taskset',
    [
      '-c',
      SERVER_CPU,
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

/** Loads one server for `seconds` while measuring the CPU it uses. */
async function load(server: Server, seconds: number, path: string): Promise<Share> {
  const before = await processCpuSeconds(server.child.pid!)
  const result = await runWrk({
    url: `http://127.0.0.1:${server.port}${path}`,
    durationS: seconds,
    connections,
    cpus: WRK_CPU,
  })
  const after = await processCpuSeconds(server.child.pid!)
  const cpuSeconds = before === undefined || after === undefined ? Number.NaN : after - before
  return {
    requestsPerSecond: result.requestsPerSecond,
    cpuUs: (cpuSeconds / result.requests) * 1e6,
  }
}

const overhead = (plain: number, profiled: number) => (1 - profiled / plain) * 100
const cpuOverhead = (plain: number, profiled: number) => (profiled / plain - 1) * 100

await requireWrk()
const dir = await mkdtemp(join(tmpdir(), 'bench-profiling-'))
const logFile = join(dir, 'requests.log')
const results: { plain: Share; profiled: Share }[] = []
const servers: Server[] = []
try {
  const plain = await startServer('plain', logFile)
  const profiled = await startServer('profiled', logFile)
  servers.push(plain, profiled)
  // Warm-up: JIT both servers before measuring.
  await Promise.all(servers.map((server) => load(server, 2, '/ping/0')))
  for (let round = 1; round <= rounds; round++) {
    const [p, q] = await Promise.all([
      load(plain, durationS, `/ping/${round}`),
      load(profiled, durationS, `/ping/${round}`),
    ])
    results.push({ plain: p, profiled: q })
    process.stdout.write(
      `round ${round}/${rounds}  plain ${p.requestsPerSecond.toFixed(0)} req/s ${p.cpuUs.toFixed(1)} µs CPU/req  ` +
        `profiled ${q.requestsPerSecond.toFixed(0)} req/s ${q.cpuUs.toFixed(1)} µs CPU/req  ` +
        `overhead ${overhead(p.requestsPerSecond, q.requestsPerSecond).toFixed(1)}% (CPU ${cpuOverhead(p.cpuUs, q.cpuUs).toFixed(1)}%)\n`,
    )
  }
} finally {
  for (const { child } of servers) child.kill('SIGTERM')
  await Promise.all(servers.map(({ child }) => once(child, 'exit')))
  const logBytes = await stat(logFile).then(
    (s) => s.size,
    () => 0,
  )
  await rm(dir, { recursive: true, force: true })
  if (results.length > 0) {
    const of = (pick: (r: (typeof results)[number]) => number) => median(results.map(pick))
    const plainRps = of((r) => r.plain.requestsPerSecond)
    const profiledRps = of((r) => r.profiled.requestsPerSecond)
    const throughput = of((r) => overhead(r.plain.requestsPerSecond, r.profiled.requestsPerSecond))
    const cpu = of((r) => cpuOverhead(r.plain.cpuUs, r.profiled.cpuUs))
    const cpuUs = of((r) => r.profiled.cpuUs - r.plain.cpuUs)
    const n = results.length
    process.stdout.write(
      `\nPlain:    ${plainRps.toFixed(0)} req/s, ${of((r) => r.plain.cpuUs).toFixed(1)} µs CPU per request (medians of ${n} rounds)\n` +
        `Profiled: ${profiledRps.toFixed(0)} req/s, ${of((r) => r.profiled.cpuUs).toFixed(1)} µs CPU per request\n` +
        `Overhead: ${throughput.toFixed(1)}% throughput (goal < 5%), ${cpu.toFixed(1)}% CPU per request (+${cpuUs.toFixed(1)} µs); ` +
        `request log written: ${(logBytes / 1e6).toFixed(1)} MB\n`,
    )
  }
}
