/**
 * @module
 * Picks the metrics store backend by URL (`METRICS_STORE_URL`): `sqlite:<path>`
 * or `postgres://...` (STYLE.md rule 6: callers get the interface).
 */
import type { Registry } from 'prom-client'
import type { Logger } from '../../platform/logger.ts'
import { PostgresMetricsStore } from './postgres-store.ts'
import { SqliteMetricsStore } from './sqlite-store.ts'
import type { MetricsStore } from './types.ts'

/** Options of {@link openMetricsStore}. */
export interface OpenMetricsStoreOptions {
  /** Pooled (one kept-open connection or pool) or a connection per call (benchmark only). @defaultValue true */
  pooled?: boolean
  /** PostgreSQL only: schema for `search_path` and migrations. */
  schema?: string
  /** PostgreSQL only: pool size. @defaultValue 10 */
  poolSize?: number
  /** PostgreSQL only: apply migrations first. @defaultValue false */
  migrate?: boolean
  /** PostgreSQL only: where the `db_pool_*` gauges go. */
  registry?: Registry
  logger?: Logger
}

/** Opens the store `url` names; throws a plain `Error` on an unknown scheme. */
export async function openMetricsStore(
  url: string,
  options: OpenMetricsStoreOptions = {},
): Promise<MetricsStore> {
  const pooled = options.pooled ?? true
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length)
    if (path === '') throw new Error('METRICS_STORE_URL sqlite:<path> needs a path')
    return SqliteMetricsStore.open({ path, pooled })
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    return PostgresMetricsStore.open({
      url,
      pooled,
      ...(options.schema ? { schema: options.schema } : {}),
      ...(options.poolSize ? { size: options.poolSize } : {}),
      ...(options.migrate ? { migrate: true } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    })
  }
  throw new Error(`metrics store URL must be sqlite:<path> or postgres://..., got "${url}"`)
}
