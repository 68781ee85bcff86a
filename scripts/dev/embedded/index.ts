/**
 * @module
 * Development tooling: private PostgreSQL, Redis and S3 servers, free ports and
 * executable lookup for `npm start`, the benchmarks and the fault tests. No
 * service imports it (tests/layout.test.ts).
 */
export { freePort } from './free-port.ts'
export { findPostgresBinaries, type PrivatePostgres, startPrivatePostgres } from './postgres.ts'
export { type PrivateRedis, startPrivateRedis } from './redis.ts'
export { type ResolvedServer, resolvePostgres, resolveRedis } from './resolve.ts'
export { type LocalS3, startLocalS3 } from './s3.ts'
