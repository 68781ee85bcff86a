/**
 * @module
 * Overhead of `addProfiling`: throughput of a trivial Hono route with and
 * without it, in one run, logging at info to a file (not silenced).
 *
 * The servers run at the same time, pinned to the same core, each under its
 * own wrk (on the other core) for every round. Measured one after the other,
 * the same server's throughput moved by ±20% between rounds on these shared
 * machines, more than the overhead being measured; served side by side, all
 * see the same machine. Each round reports requests per second and the CPU
 * each server used per request (from /proc); an overhead is the median over
 * rounds of each round's ratio. Two more servers split the cost: `timing`
 * (timing and route label, log and histogram doing nothing) and `floor` (the
 * same plus one fixed line of the same length to the same log: what a line
 * per request costs before any formatting or histogram).
 *
 *   npx tsx scripts/benchmark_profiling.ts [--duration 3] [--rounds 9] [--connections 50]
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { positiveWholeNumbers } from './bench/args.ts'
import { processCpuSeconds } from './bench/process-cpu.ts'
import { PROFILING_MODES, type ProfilingMode } from './bench/profiling-modes.ts'
import { median } from './bench/stats.ts'
import { requireWrk, runWrk } from './bench/wrk.ts'
import { freePort } from './dev/embedded/index.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '9' },
    connections: { type: 'string', default: '50' },
  },
})
const {
  duration: durationS,
  rounds,
  connections,
} = positiveWholeNumbers(values, ['duration', 'rounds', 'connections'])

const ROOT = resolve(import.meta.dirname, '..')
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

async function startServer(mode: ProfilingMode, logFile: string): Promise<Server> {
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
const results: Record<ProfilingMode, Share>[] = []
const servers = new Map<ProfilingMode, Server>()
try {
  for (const mode of PROFILING_MODES) servers.set(mode, await startServer(mode, logFile))
  // Warm-up: JIT the servers before measuring.
  await Promise.all([...servers.values()].map((server) => load(server, 2, '/ping/0')))
  for (let round = 1; round <= rounds; round++) {
    // Whose load starts first rotates: the order showed a bias of its own.
    const order = PROFILING_MODES.map(
      (_, i) => PROFILING_MODES[(i + round) % PROFILING_MODES.length] as ProfilingMode,
    )
    const shares = await Promise.all(
      order.map((mode) => load(servers.get(mode)!, durationS, `/ping/${round}`)),
    )
    const result = Object.fromEntries(order.map((mode, i) => [mode, shares[i]])) as Record<
      ProfilingMode,
      Share
    >
    results.push(result)
    const { plain, profiled } = result
    process.stdout.write(
      `round ${round}/${rounds}  ${PROFILING_MODES.map((mode) => `${mode} ${result[mode].requestsPerSecond.toFixed(0)} req/s ${result[mode].cpuUs.toFixed(1)} µs`).join('  ')}  ` +
        `overhead ${overhead(plain.requestsPerSecond, profiled.requestsPerSecond).toFixed(1)}%\n`,
    )
  }
} finally {
  for (const { child } of servers.values()) child.kill('SIGTERM')
  await Promise.all([...servers.values()].map(({ child }) => once(child, 'exit')))
  const logBytes = await stat(logFile).then(
    (s) => s.size,
    () => 0,
  )
  await rm(dir, { recursive: true, force: true })
  if (results.length > 0) report(logBytes)
}

function report(logBytes: number): void {
  const of = (pick: (r: Record<ProfilingMode, Share>) => number) => median(results.map(pick))
  const line = (mode: ProfilingMode, label: string) => {
    const rps = of((r) => r[mode].requestsPerSecond)
    const cpu = of((r) => r[mode].cpuUs)
    if (mode === 'plain')
      return `${label} ${rps.toFixed(0)} req/s, ${cpu.toFixed(1)} µs CPU per request\n`
    const thr = of((r) => overhead(r.plain.requestsPerSecond, r[mode].requestsPerSecond))
    const cpuPct = of((r) => cpuOverhead(r.plain.cpuUs, r[mode].cpuUs))
    const cpuUs = of((r) => r[mode].cpuUs - r.plain.cpuUs)
    return `${label} ${rps.toFixed(0)} req/s, ${cpu.toFixed(1)} µs CPU per request: overhead ${thr.toFixed(1)}% throughput, ${cpuPct.toFixed(1)}% CPU (+${cpuUs.toFixed(1)} µs)\n`
  }
  process.stdout.write(
    `\nMedians of ${results.length} rounds, servers side by side on one core:\n` +
      line('plain', 'Plain:   ') +
      line('timing', 'Timing:  ') +
      line('floor', 'Floor:   ') +
      line('profiled', 'Profiled:') +
      `Goal: profiled overhead < 5% of throughput. Request log written: ${(logBytes / 1e6).toFixed(1)} MB\n`,
  )
}
