/** @module Redis connection factory. */
export {
  closeRedis,
  createRedis,
  type RedisConnectionOptions,
  type RedisRole,
} from './connection.ts'
