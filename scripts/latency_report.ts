/**
 * @module
 * The slowest routes and jobs from service logs: reads the profiling's JSON
 * lines (files, or standard input), one per request and one per queue job
 * (reported as route `job:<queue>/<name>`), and prints p50/p95/p99 per route,
 * slowest first. The parsing and percentiles run in the latency pool (Piscina).
 *
 *   npx tsx scripts/latency_report.ts core.log edge.log ingest.log [--top 20]
 *   npm run core | tee core.log   # services log one line per request and per job at info
 */
import { readFile } from 'node:fs/promises'
import { text } from 'node:stream/consumers'
import { parseArgs } from 'node:util'
import { createLatencyPool } from '../core/pools/latency/index.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '20' } },
})
const top = Number(values.top)
if (!Number.isInteger(top) || top < 1) {
  process.stderr.write(
    'usage: latency_report.ts [files...] [--top N]   (no files: read standard input)\n',
  )
  process.exit(2)
}

const logs = positionals.length
  ? await Promise.all(positionals.map((file) => readFile(file, 'utf8')))
  : [await text(process.stdin)]
const pool = createLatencyPool({ size: 1 })
try {
  const report = await pool.run({ kind: 'log', text: logs.join('\n') })
  if (report.length === 0) {
    console.log('no request or job lines found (the services log them at LOG_LEVEL=info)')
  } else {
    // Wide enough for `ingest-worker` and `job:signal-ingestion/batch`, with a space after.
    const row = (service: string, route: string, count: string, ...ms: string[]) =>
      `${service.padEnd(15)}${route.padEnd(36)}${count.padStart(8)}${ms.map((x) => x.padStart(9)).join('')}`
    console.log(row('service', 'route', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'))
    for (const r of report.slice(0, top)) {
      const ms = [r.p50Ms, r.p95Ms, r.p99Ms, r.maxMs].map((x) => x.toFixed(1))
      console.log(row(r.service, r.route, String(r.count), ...ms))
    }
  }
} finally {
  await pool.close()
}
