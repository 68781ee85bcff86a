/**
 * @module
 * The metrics store contract (STYLE.md rule 6: services depend on this, not on
 * a driver). SQLite and PostgreSQL implement it; `openMetricsStore` picks one
 * by URL.
 */

import { TAG_KEY } from '../../../edge/contracts/experiments.ts'

/** Tag keys: short identifiers, so they are safe inside JSON paths (the experiment contract's). */
export { TAG_KEY }

/** One metric sample. Tags are string to string (`variant: "b"`). */
export interface MetricRow {
  name: string
  value: number
  tags: Record<string, string>
  /** @defaultValue now */
  at?: Date
}

/** What to aggregate: a tag filter and the tag to group by. */
export interface AggregateSpec {
  /** Only rows whose tags include all of these pairs. @defaultValue none */
  where?: Record<string, string>
  /** One result per value of this tag (`null` for rows without it). @defaultValue one group */
  groupBy?: string
}

/** Aggregates of one group, percentiles interpolated as SQL `percentile_cont` does. */
export interface MetricAggregate {
  group: string | null
  count: number
  sum: number
  avg: number
  min: number
  max: number
  p50: number
  p95: number
}

/** A metrics store. Every method rejects with {@link MetricsStoreError} on a storage failure. */
export interface MetricsStore {
  /** Which backend, for logs and benchmark output. */
  readonly backend: 'sqlite' | 'postgres'
  record(name: string, value: number, tags?: Record<string, string>): Promise<void>
  /** Writes all rows in one transaction. */
  recordMany(rows: readonly MetricRow[]): Promise<void>
  /** Aggregates of `name` with `from <= at < to`, ordered by group (nulls last). */
  query(name: string, from: Date, to: Date, agg?: AggregateSpec): Promise<MetricAggregate[]>
  /** Closes connections; later calls reject. */
  close(): Promise<void>
}

/** A storage failure (connection refused, disk full...), with the driver error as `cause`. */
export class MetricsStoreError extends Error {
  override readonly name = 'MetricsStoreError'
}

/** Throws a plain `Error` naming the first key that is not a valid tag key. */
export function checkTagKeys(keys: Iterable<string>): void {
  for (const key of keys) {
    if (!TAG_KEY.test(key)) throw new Error(`tag key "${key}" must match ${TAG_KEY}`)
  }
}

/** Checks the keys `query` will put into SQL (filter and group-by tags). */
export function checkAggregateSpec(agg: AggregateSpec): void {
  checkTagKeys(Object.keys(agg.where ?? {}))
  if (agg.groupBy !== undefined) checkTagKeys([agg.groupBy])
}
