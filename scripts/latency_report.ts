/**
 * @module
 * The slowest routes from request logs: reads the profiling middleware's JSON
 * lines (files, or standard input) and prints p50/p95/p99 per route, slowest
 * first. The parsing and percentiles run in the latency pool (Piscina).
 *
 *   npx tsx scripts/latency_report.ts core.log edge.log [--top 20]
 *   npm run core | tee core.log   # services log one line per request at info
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
    console.log('no request lines found (the services log them at LOG_LEVEL=info)')
  } else {
    const ms = (x: number) => x.toFixed(1).padStart(9)
    console.log(
      `${'service'.padEnd(10)}${'route'.padEnd(36)}${'count'.padStart(8)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}`,
    )
    for (const r of report.slice(0, top)) {
      console.log(
        `${r.service.padEnd(10)}${r.route.padEnd(36)}${String(r.count).padStart(8)}${ms(r.p50Ms)}${ms(r.p95Ms)}${ms(r.p99Ms)}${ms(r.maxMs)}`,
      )
    }
  }
} finally {
  await pool.close()
}
