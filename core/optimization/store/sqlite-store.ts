/**
 * @module
 * The SQLite metrics store (`better-sqlite3`): ONE connection per store
 * instance, kept open, in WAL mode so a reader never blocks the writer. Calls
 * are synchronous and short (one prepared statement, or one transaction per
 * batch), so they run on the event loop. The unpooled mode opens and closes a
 * connection per call; it exists only to measure what pooling saves.
 */
import Database from 'better-sqlite3'
import { AGGREGATE_METRICS, CREATE_METRICS, INSERT_METRIC } from './sqlite-sql.ts'
import {
  type AggregateSpec,
  checkAggregateSpec,
  checkTagKeys,
  type MetricAggregate,
  type MetricRow,
  type MetricsStore,
  MetricsStoreError,
} from './types.ts'

/** Options of {@link SqliteMetricsStore.open}. */
export interface SqliteStoreOptions {
  /** Database file (`:memory:` works only pooled). */
  path: string
  /** Keep one connection open (the default), or open one per call (benchmark only). @defaultValue true */
  pooled?: boolean
}

type Db = Database.Database

function connect(path: string): Db {
  const db = new Database(path)
  // WAL: readers and the writer do not block each other; NORMAL sync is safe in WAL.
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  // Another process (or an unpooled call) may hold the write lock briefly.
  db.pragma('busy_timeout = 5000')
  return db
}

// Prepared statements per connection: preparing is a parse and plan, worth doing once.
const prepared = new WeakMap<Db, Map<string, Database.Statement>>()

function statement(db: Db, sql: string): Database.Statement {
  let cache = prepared.get(db)
  if (!cache) {
    cache = new Map()
    prepared.set(db, cache)
  }
  let stmt = cache.get(sql)
  if (!stmt) {
    stmt = db.prepare(sql)
    cache.set(sql, stmt)
  }
  return stmt
}

function wrap<T>(what: string, run: () => T): T {
  try {
    return run()
  } catch (err) {
    throw new MetricsStoreError(
      `sqlite metrics store could not ${what}: ${(err as Error).message}`,
      {
        cause: err,
      },
    )
  }
}

/** A SQLite-backed {@link MetricsStore}. */
export class SqliteMetricsStore implements MetricsStore {
  readonly backend = 'sqlite'
  private closed = false

  private constructor(
    private readonly path: string,
    /** The one connection; undefined in unpooled mode. */
    private readonly db: Db | undefined,
  ) {}

  /** Opens (and creates when missing) the store's database and table. */
  static open(options: SqliteStoreOptions): SqliteMetricsStore {
    const db = wrap('open', () => connect(options.path))
    try {
      wrap('create its table', () => db.exec(CREATE_METRICS))
    } catch (err) {
      db.close()
      throw err
    }
    if (options.pooled ?? true) return new SqliteMetricsStore(options.path, db)
    db.close()
    return new SqliteMetricsStore(options.path, undefined)
  }

  async record(name: string, value: number, tags: Record<string, string> = {}): Promise<void> {
    checkTagKeys(Object.keys(tags))
    this.use('record a metric', (db) =>
      statement(db, INSERT_METRIC).run({ name, value, tags: JSON.stringify(tags), at: Date.now() }),
    )
  }

  async recordMany(rows: readonly MetricRow[]): Promise<void> {
    for (const row of rows) checkTagKeys(Object.keys(row.tags))
    const now = Date.now()
    this.use('record metrics', (db) => {
      const insert = statement(db, INSERT_METRIC)
      db.transaction(() => {
        for (const row of rows) {
          insert.run({
            name: row.name,
            value: row.value,
            tags: JSON.stringify(row.tags),
            at: row.at?.getTime() ?? now,
          })
        }
      })()
    })
  }

  async query(
    name: string,
    from: Date,
    to: Date,
    agg: AggregateSpec = {},
  ): Promise<MetricAggregate[]> {
    checkAggregateSpec(agg)
    return this.use('query metrics', (db) =>
      statement(db, AGGREGATE_METRICS).all({
        name,
        from: from.getTime(),
        to: to.getTime(),
        groupBy: agg.groupBy ?? null,
        where: JSON.stringify(agg.where ?? {}),
      }),
    ) as MetricAggregate[]
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.db?.close()
  }

  /** Runs `fn` on the open connection, or on a fresh one (unpooled). */
  private use<T>(what: string, fn: (db: Db) => T): T {
    if (this.closed) throw new MetricsStoreError('sqlite metrics store is closed')
    if (this.db) return wrap(what, () => fn(this.db as Db))
    return wrap(what, () => {
      const db = connect(this.path)
      try {
        return fn(db)
      } finally {
        db.close()
      }
    })
  }
}
