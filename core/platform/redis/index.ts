/** @module Redis connection factory and the queue Redis's readiness check. */
export {
  closeRedis,
  createRedis,
  type RedisConnectionOptions,
  type RedisRole,
} from './connection.ts'
export {
  judgeQueueRedis,
  type QueueRedisCheckOptions,
  type QueueRedisSettings,
  queueRedisCheck,
  readQueueRedisSettings,
} from './queue-redis-check.ts'
