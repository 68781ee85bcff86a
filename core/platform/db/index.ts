/** @module PostgreSQL pools, their gauges and the migration runner. */
export {
  loadMigrations,
  MIGRATIONS_DIR,
  type MigrateOptions,
  type Migration,
  migrate,
} from './migrate.ts'
export { createPool, type PoolOptions } from './pool.ts'
export { trackPool } from './pool-metrics.ts'
export { databaseUnavailable, isDatabaseUnavailable } from './unavailable.ts'
