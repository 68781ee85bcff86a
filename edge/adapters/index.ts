/** @module Portable clients behind the edge contracts: Upstash and memory caches, Neon SQL. */
export { type MemoryCacheOptions, memoryCache } from './memory-cache.ts'
export { type NeonSqlOptions, neonSql } from './neon-sql.ts'
export { type UpstashCacheOptions, upstashCache } from './upstash-cache.ts'
