/**
 * @module
 * Reads each benchmark's latest run and its history from PostgreSQL and
 * compares them ({@link compareRun}). The only module here that touches the
 * database; it needs a pool (or client) whose search path holds the tables.
 */
import type pg from 'pg'
import { BENCHMARKS, type BenchmarkDefinition } from './figures.ts'
import {
  compareRun,
  type LabelledComparison,
  REGRESSION_DEFAULTS,
  type RegressionOptions,
  type RunRow,
} from './regression.ts'
import { TABLE_EXISTS } from './sql.ts'

/** One benchmark's outcome: its comparisons, or why there are none. */
export type BenchmarkCheck =
  | { benchmark: string; status: 'compared'; ranAt: Date; comparisons: LabelledComparison[] }
  | { benchmark: string; status: 'no table' | 'no runs' }

/** Checks the latest run of each benchmark in `benchmarks` (all by default). */
export async function checkRegressions(
  db: Pick<pg.Pool, 'query'>,
  options: RegressionOptions = {},
  benchmarks: readonly BenchmarkDefinition[] = BENCHMARKS,
): Promise<BenchmarkCheck[]> {
  const window = options.window ?? REGRESSION_DEFAULTS.window
  const checks: BenchmarkCheck[] = []
  for (const definition of benchmarks) {
    const { benchmark } = definition
    const exists = await db.query<{ present: boolean }>(TABLE_EXISTS, [definition.table])
    // A database migrated before the table's migration: nothing to compare yet.
    if (!exists.rows[0]?.present) {
      checks.push({ benchmark, status: 'no table' })
      continue
    }
    const { rows } = await db.query<RunRow>(definition.latestRunsSql, [window + 1])
    const [latest, ...previous] = rows
    if (!latest) {
      checks.push({ benchmark, status: 'no runs' })
      continue
    }
    checks.push({
      benchmark,
      status: 'compared',
      ranAt: latest.ran_at as Date,
      comparisons: compareRun(definition, latest, previous, options),
    })
  }
  return checks
}

/** Every comparison of `checks`, flattened. */
export const comparisonsOf = (checks: readonly BenchmarkCheck[]): LabelledComparison[] =>
  checks.flatMap((check) => (check.status === 'compared' ? check.comparisons : []))
