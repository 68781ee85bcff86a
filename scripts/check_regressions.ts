/**
 * @module
 * Compares the latest persisted run of each benchmark (`score_benchmarks`,
 * `mockup_benchmarks`) with the median of the runs before it and prints a
 * table; exits 1 when a figure regressed, 0 otherwise (too few runs is
 * "insufficient history", not a failure), 2 on bad arguments or no database.
 *
 *   npx tsx scripts/check_regressions.ts [--window 7] [--k 3] [--min-history 3]
 *     [--min-change 5] [--benchmark score|mockup] [--textfile PATH]
 *
 * --textfile writes `benchmark_regression{benchmark,figure}` (1/0) as a
 * Prometheus text file, atomically, for node_exporter's textfile collector
 * or a CI artefact. Reads DATABASE_URL (else the private cluster in .data/,
 * where benchmark_score.ts persists when it is unset).
 */
import { rename, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  BENCHMARKS,
  checkRegressions,
  comparisonsOf,
  formatRegressionTable,
  REGRESSION_DEFAULTS,
  type RegressionOptions,
  regressionTextfile,
} from '../core/benchmarks/index.ts'
import { createPool } from '../core/platform/db/index.ts'
import { resolvePostgres } from './dev/embedded/index.ts'

const USAGE =
  'usage: check_regressions.ts [--window N] [--k K] [--min-history N] [--min-change PCT] [--benchmark score|mockup] [--textfile PATH]'

/** Options of {@link main}. */
export interface CheckRegressionsOptions extends RegressionOptions {
  databaseUrl: string
  /** Only this benchmark. @defaultValue every benchmark */
  benchmark?: string
  textfile?: string
  log?: (line: string) => void
}

/** Runs the check; resolves to true when a figure regressed. */
export async function main(options: CheckRegressionsOptions): Promise<boolean> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const benchmarks = BENCHMARKS.filter(
    (b) => options.benchmark === undefined || b.benchmark === options.benchmark,
  )
  const pool = createPool({ url: options.databaseUrl, size: 1, name: 'check-regressions' })
  try {
    const checks = await checkRegressions(pool, options, benchmarks)
    const { window, k, minChangePct } = { ...REGRESSION_DEFAULTS, ...options }
    log(
      `baseline: median of up to ${window} previous runs of the same configuration; ` +
        `a change counts beyond max(${k} x spread, ${minChangePct}% of the median), spread = 1.4826 x MAD`,
    )
    log(formatRegressionTable(checks))
    const comparisons = comparisonsOf(checks)
    if (options.textfile) {
      // Write then rename: the collector never reads a half-written file.
      const path = resolve(options.textfile)
      await writeFile(`${path}.tmp`, await regressionTextfile(comparisons))
      await rename(`${path}.tmp`, path)
      log(`wrote ${path}`)
    }
    const regressed = comparisons.filter((c) => c.verdict === 'regressed')
    log(
      regressed.length
        ? `REGRESSION: ${regressed.map((c) => `${c.benchmark}/${c.figure}`).join(', ')}`
        : 'no regression',
    )
    return regressed.length > 0
  } finally {
    await pool.end()
  }
}

function number(text: string | undefined, name: string, integer: boolean): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!(value >= 0) || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} expects a ${integer ? 'whole ' : ''}number >= 0, got "${text}"`)
  }
  return value
}

if (import.meta.filename === process.argv[1]) {
  let options: Omit<CheckRegressionsOptions, 'databaseUrl'>
  try {
    const { values } = parseArgs({
      options: {
        window: { type: 'string' },
        k: { type: 'string' },
        'min-history': { type: 'string' },
        'min-change': { type: 'string' },
        benchmark: { type: 'string' },
        textfile: { type: 'string' },
      },
    })
    if (values.benchmark && !BENCHMARKS.some((b) => b.benchmark === values.benchmark)) {
      throw new Error(`--benchmark must be one of ${BENCHMARKS.map((b) => b.benchmark).join(', ')}`)
    }
    const window = number(values.window, 'window', true)
    if (window === 0) throw new Error('--window must be at least 1')
    const parsed = {
      window,
      k: number(values.k, 'k', false),
      minHistory: number(values['min-history'], 'min-history', true),
      minChangePct: number(values['min-change'], 'min-change', false),
      benchmark: values.benchmark,
      textfile: values.textfile,
    }
    options = Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined))
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`)
    process.exit(2)
  }
  const postgres = await resolvePostgres(
    process.env.DATABASE_URL,
    resolve(import.meta.dirname, '../.data'),
  ).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`)
    process.exit(2)
  })
  const regressed = await main({ ...options, databaseUrl: postgres.url })
    .catch((err: Error) => {
      process.stderr.write(`regression check failed: ${err.message}\n`)
      process.exitCode = 2
      return false
    })
    .finally(() => postgres.stop())
  if (regressed) process.exitCode = 1
}
