/**
 * @module
 * The server `bench_profiling.ts` measures: a trivial Hono route, with or
 * without `addProfiling` (logging at info to a file, observing into the
 * process registry's request histogram). Run as its own process so the load generator and
 * the server do not share an event loop.
 *
 *   node --import tsx scripts/bench/trivial-server.ts <plain|profiled> <port> <log-file>
 */
import { Hono } from 'hono'
import { listen } from '../../core/platform/http/listen.ts'
import { logDestination } from '../../core/platform/log-destination.ts'
import { createLogger, requestLog } from '../../core/platform/logger.ts'
import { createProcessMetrics } from '../../core/platform/metrics/index.ts'
import { addProfiling } from '../../edge/profiling/index.ts'

const [mode, port, logFile] = process.argv.slice(2)
if ((mode !== 'plain' && mode !== 'profiled') || !port || !logFile) {
  process.stderr.write('usage: trivial-server.ts <plain|profiled> <port> <log-file>\n')
  process.exit(2)
}

// Both modes are the same service set-up (the services' logger on a file, the
// process registry with its default metrics); only addProfiling differs.
const logger = createLogger({
  service: 'bench',
  level: 'info',
  destination: logDestination(logFile),
})
const metrics = createProcessMetrics()
const app = new Hono()
if (mode === 'profiled') {
  addProfiling(app, { service: 'bench', log: requestLog(logger), observe: metrics.observeRequest })
}
app.get('/ping/:id', (c) => c.text('pong'))
const server = await listen(app, Number(port), '127.0.0.1')
process.stdout.write(`listening ${server.port}\n`)
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
