/** @module Redis connection factory. */
export { createRedis, type RedisConnectionOptions, type RedisRole } from './connection.ts'
