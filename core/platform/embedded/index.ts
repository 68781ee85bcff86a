/** @module Private PostgreSQL and Redis servers for `npm start` and fault tests. */
export { freePort } from './free-port.ts'
export { findPostgresBinaries, type PrivatePostgres, startPrivatePostgres } from './postgres.ts'
export { type PrivateRedis, startPrivateRedis } from './redis.ts'
export { type ResolvedServer, resolvePostgres, resolveRedis } from './resolve.ts'
