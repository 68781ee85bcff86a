/**
 * @module
 * Runs a module of the project under V8's CPU profiler and saves the
 * profile, then prints the top functions by total and by self time.
 *
 *   npx tsx scripts/capture_profile.ts <module> [--output run.cpuprofile]
 *     [--duration SECONDS] [--top 20] [--interval MICROSECONDS] [-- module args...]
 *
 * The module is imported in this process, as if run directly: `process.argv`
 * becomes `[node, <module>, ...module args]`, so a script's "am I the main
 * module" guard fires. Profiling stops when the module is done (the event
 * loop empties, or it calls process.exit) or after --duration, whichever
 * comes first; after --duration the process exits, since a server never ends.
 * The `.cpuprofile` opens in Chrome DevTools (Performance panel) and speedscope.
 */
import { existsSync, writeFileSync } from 'node:fs'
import type { Profiler } from 'node:inspector'
import { Session } from 'node:inspector'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { analyzeProfile } from './profile/analyze.ts'
import { formatProfileSummary } from './profile/format.ts'
import { applySourceMaps } from './profile/source-maps.ts'

const USAGE =
  'usage: capture_profile.ts <module> [--output run.cpuprofile] [--duration SECONDS] [--top N] [--interval MICROSECONDS] [-- module args...]'

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`)
  process.exit(2)
}

function positive(text: string, name: string): number {
  const value = Number(text)
  if (!(value > 0)) fail(`--${name} expects a number > 0, got "${text}"`)
  return value
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        output: { type: 'string', default: 'run.cpuprofile' },
        duration: { type: 'string' },
        top: { type: 'string', default: '20' },
        interval: { type: 'string', default: '1000' },
      },
    })
  } catch (err) {
    return fail((err as Error).message)
  }
})()
const [moduleArg, ...moduleArgs] = positionals
if (!moduleArg) fail('no module given')
const modulePath = [resolve(moduleArg), resolve(`${moduleArg}.ts`)].find((p) => existsSync(p))
if (!modulePath) fail(`no such module: ${moduleArg}`)
const durationS = values.duration === undefined ? undefined : positive(values.duration, 'duration')
const top = positive(values.top, 'top')
const intervalUs = positive(values.interval, 'interval')
const output = resolve(values.output)

// Before the module loads: Node keeps its source map only when this is on.
process.setSourceMapsEnabled(true)

// The in-process session answers synchronously, so the profile can still be
// taken inside an 'exit' handler when the module calls process.exit().
const session = new Session()
session.connect()
const post = <T>(method: string, params?: object): T => {
  let result: T | undefined
  let error: Error | null = null
  session.post(method, params ?? {}, (err, res) => {
    error = err
    result = res as T
  })
  if (error) throw error
  return result as T
}
post('Profiler.enable')
post('Profiler.setSamplingInterval', { interval: intervalUs })

let stopped = false
function stop(reason: string): void {
  if (stopped) return
  stopped = true
  const raw = post<{ profile: Profiler.Profile }>('Profiler.stop').profile
  session.disconnect()
  const profile = applySourceMaps(raw)
  writeFileSync(output, JSON.stringify(profile))
  process.stdout.write(
    `\nprofile of ${moduleArg} (${reason}) saved to ${output}\n` +
      `${formatProfileSummary(analyzeProfile(profile), process.cwd(), top)}\n`,
  )
}

process.once('beforeExit', () => stop('module completed'))
process.once('exit', () => stop('module exited'))
if (durationS !== undefined) {
  setTimeout(() => {
    stop(`--duration ${durationS}s elapsed`)
    process.exit(0)
  }, durationS * 1000).unref()
}

process.argv = [process.argv[0]!, modulePath, ...moduleArgs]
post('Profiler.start')
try {
  await import(pathToFileURL(modulePath).href)
} catch (err) {
  process.stderr.write(`${moduleArg} threw: ${(err as Error).stack ?? err}\n`)
  process.exitCode = 1
}
