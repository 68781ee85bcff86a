/**
 * @module
 * Seeding a schema with generated signals, in batches, reporting progress.
 * Used by `npm start` (demo data) and the score benchmark (100k rows).
 */
import type pg from 'pg'
import { insertSignals } from '../../../core/signals/index.ts'
import { type GenerateOptions, generateSignals } from './signals.ts'

/** Inserts `options.count` generated signals; returns how many were new. */
export async function seedSignals(
  pool: pg.Pool,
  options: GenerateOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  let done = 0
  let inserted = 0
  for (const batch of generateSignals(options)) {
    inserted += await insertSignals(pool, batch)
    done += batch.length
    onProgress?.(done, options.count)
  }
  return inserted
}

/** Rows in `signals` (through the pool's search_path). */
export async function countSignals(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM signals')
  return Number(rows[0]?.n ?? 0)
}
