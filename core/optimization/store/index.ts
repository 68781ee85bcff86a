/** @module The metrics store: the contract, the SQLite and PostgreSQL backends, and the URL picker. */
export { type OpenMetricsStoreOptions, openMetricsStore } from './open.ts'
export { PostgresMetricsStore, type PostgresStoreOptions } from './postgres-store.ts'
export { SqliteMetricsStore, type SqliteStoreOptions } from './sqlite-store.ts'
export {
  type AggregateSpec,
  checkAggregateSpec,
  checkTagKeys,
  type MetricAggregate,
  type MetricRow,
  type MetricsStore,
  MetricsStoreError,
  TAG_KEY,
} from './types.ts'
