/**
 * @module
 * The PostgreSQL metrics store: single samples with one INSERT, batches with
 * one `unnest` INSERT per chunk inside one transaction, summaries with
 * `percentile_cont` in SQL.
 */
import { createPool, migrate } from '../../platform/db/index.ts'
import {
  type PgConnectionOptions,
  type PgConnections,
  pooledConnections,
  unpooledConnections,
} from './postgres-connections.ts'
import { AGGREGATE_METRICS, INSERT_METRIC, INSERT_METRICS } from './postgres-sql.ts'
import {
  type AggregateSpec,
  checkAggregateSpec,
  checkTagKeys,
  type MetricAggregate,
  type MetricRow,
  type MetricsStore,
  MetricsStoreError,
} from './types.ts'

/** Options of {@link PostgresMetricsStore.open}. */
export interface PostgresStoreOptions extends PgConnectionOptions {
  /** Keep a pool open (the default), or connect per call (benchmark only). @defaultValue true */
  pooled?: boolean
  /** Apply the migrations (the `metrics` table) to `schema` first. @defaultValue false */
  migrate?: boolean
}

/** Rows per INSERT: bounds the size of one statement's parameters. */
const CHUNK = 5000

async function wrap<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    throw new MetricsStoreError(
      `postgres metrics store could not ${what}: ${(err as Error).message}`,
      { cause: err },
    )
  }
}

/** A PostgreSQL-backed {@link MetricsStore}. */
export class PostgresMetricsStore implements MetricsStore {
  readonly backend = 'postgres'
  private closed = false

  private constructor(private readonly db: PgConnections) {}

  /** Opens the store (and migrates when asked). */
  static async open(options: PostgresStoreOptions): Promise<PostgresMetricsStore> {
    if (options.migrate) {
      // A short-lived pool: the migration runner wants one, whatever the mode.
      const pool = createPool({ url: options.url, size: 1, name: 'metrics_migrate' })
      try {
        await wrap('migrate', () => migrate(pool, options.schema ? { schema: options.schema } : {}))
      } finally {
        await pool.end()
      }
    }
    const db = (options.pooled ?? true) ? pooledConnections(options) : unpooledConnections(options)
    return new PostgresMetricsStore(db)
  }

  async record(name: string, value: number, tags: Record<string, string> = {}): Promise<void> {
    checkTagKeys(Object.keys(tags))
    this.checkOpen()
    await wrap('record a metric', () =>
      this.db.query(INSERT_METRIC, [name, value, JSON.stringify(tags), new Date()]),
    )
  }

  async recordMany(rows: readonly MetricRow[]): Promise<void> {
    for (const row of rows) checkTagKeys(Object.keys(row.tags))
    this.checkOpen()
    if (rows.length === 0) return
    const now = new Date()
    await wrap('record metrics', () =>
      this.db.withClient(async (client) => {
        await client.query('BEGIN')
        try {
          for (let start = 0; start < rows.length; start += CHUNK) {
            const chunk = rows.slice(start, start + CHUNK)
            await client.query(INSERT_METRICS, [
              chunk.map((r) => r.name),
              chunk.map((r) => r.value),
              chunk.map((r) => JSON.stringify(r.tags)),
              chunk.map((r) => (r.at ?? now).toISOString()),
            ])
          }
          await client.query('COMMIT')
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {})
          throw err
        }
      }),
    )
  }

  async query(
    name: string,
    from: Date,
    to: Date,
    agg: AggregateSpec = {},
  ): Promise<MetricAggregate[]> {
    checkAggregateSpec(agg)
    this.checkOpen()
    const { rows } = await wrap('query metrics', () =>
      this.db.query(AGGREGATE_METRICS, [
        name,
        from,
        to,
        agg.groupBy ?? null,
        JSON.stringify(agg.where ?? {}),
      ]),
    )
    return rows as MetricAggregate[]
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.db.end()
  }

  private checkOpen(): void {
    if (this.closed) throw new MetricsStoreError('postgres metrics store is closed')
  }
}
