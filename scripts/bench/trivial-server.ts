/**
 * @module
 * The server `benchmark_profiling.ts` measures: a trivial Hono route, with or
 * without `addProfiling` (logging at info to a file, observing into the
 * process registry's request histogram), and two steps between them:
 * `timing` (the timing and route label, with a log and a histogram that do
 * nothing) and `floor` (the same, then one fixed line of the same length to
 * the same destination: the least a line per request costs). Run as its own
 * process so the load generator and the server do not share an event loop.
 *
 *   node --import tsx scripts/bench/trivial-server.ts <plain|timing|floor|profiled> <port> <log-file>
 */
import { Hono } from 'hono'
import { listen } from '../../core/platform/http/listen.ts'
import { logDestination } from '../../core/platform/log-destination.ts'
import { createLogger, requestLog } from '../../core/platform/logger.ts'
import { createProcessMetrics } from '../../core/platform/metrics/index.ts'
import { addProfiling, type RequestLogEntry } from '../../edge/profiling/index.ts'
import { PROFILING_MODES, type ProfilingMode } from './profiling-modes.ts'

const [mode, port, logFile] = process.argv.slice(2)
if (!PROFILING_MODES.includes(mode as ProfilingMode) || !port || !logFile) {
  process.stderr.write(
    `usage: trivial-server.ts <${PROFILING_MODES.join('|')}> <port> <log-file>\n`,
  )
  process.exit(2)
}

// Every mode is the same service set-up (the services' logger on a file, the
// process registry with its default metrics); only the profiling differs.
const destination = logDestination(logFile)
const logger = createLogger({ service: 'bench', level: 'info', destination })
const metrics = createProcessMetrics()
const app = new Hono()
if (mode === 'profiled') {
  addProfiling(app, { service: 'bench', log: requestLog(logger), observe: metrics.observeRequest })
} else if (mode === 'timing') {
  addProfiling(app, { service: 'bench', log: () => {}, observe: () => {} })
} else if (mode === 'floor') {
  const fixedLine = sampleLine()
  addProfiling(app, {
    service: 'bench',
    log: () => destination.write(fixedLine),
    observe: () => {},
  })
}
app.get('/ping/:id', (c) => c.text('pong'))
const server = await listen(app, Number(port), '127.0.0.1')
process.stdout.write(`listening ${server.port}\n`)
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))

/** One request line as the profiled server writes it. */
function sampleLine(): string {
  let line = ''
  const capture = {
    write: (text: string) => {
      line = text
    },
  }
  const entry: RequestLogEntry = {
    method: 'GET',
    route: '/ping/:id',
    path: '/ping/1',
    status: 200,
    durationMs: 0.021,
  }
  requestLog(createLogger({ service: 'bench', level: 'info', destination: capture }))(entry)
  return line
}
