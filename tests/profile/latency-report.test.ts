/**
 * scripts/latency_report.ts as a process, on log lines a real service logger
 * wrote: request lines and job lines (as createWorker's profiling writes
 * them) ranked in one table, jobs as route `job:<queue>/<name>`.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createLogger } from '../../core/platform/logger.ts'
import type { JobLogEntry } from '../../core/platform/queue/index.ts'
import { logThrough } from '../../edge/profiling/index.ts'

const ROOT = join(import.meta.dirname, '../..')

/** Lines as the services write them: the core's request lines, the worker's job lines. */
function serviceLog(): string {
  const lines: string[] = []
  const destination = { write: (line: string) => void lines.push(line) }
  const request = logThrough(createLogger({ service: 'core', destination }))
  const worker = createLogger({ service: 'ingest-worker', destination })
  for (let i = 0; i < 20; i++) {
    request({ method: 'GET', route: '/score', path: '/score', status: 200, durationMs: 2 + i })
    const job: JobLogEntry = {
      queue: 'signal-ingestion',
      name: 'batch',
      jobId: String(i),
      status: i === 0 ? 'failed' : 'completed',
      durationMs: 100 + i,
      attempt: 1,
    }
    worker.info(job, 'job')
  }
  return lines.join('')
}

const report = (input: string) =>
  new Promise<string>((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/latency_report.ts', '--top', '5'],
      { cwd: ROOT, timeout: 20_000 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    )
    child.stdin?.end(input)
  })

describe('latency_report', () => {
  test('Should rank jobs beside routes, slowest first', async () => {
    const rows = (await report(serviceLog())).trim().split('\n')
    expect(rows[0]).toMatch(/^service\s+route\s+count\s+p50 ms\s+p95 ms\s+p99 ms\s+max ms$/)
    expect(rows[1]).toMatch(/^ingest-worker\s+job:signal-ingestion\/batch\s+20\s+109\.5\s/)
    expect(rows[2]).toMatch(/^core\s+\/score\s+20\s+11\.5\s/)
    expect(rows).toHaveLength(3)
  })

  test('Should say so when the log holds neither', async () => {
    expect(await report('{"msg":"started"}\n')).toMatch(/no request or job lines found/)
  })
})
