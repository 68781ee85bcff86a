/**
 * @module
 * Local bridges that let the edge app's REST/serverless clients reach the
 * local servers: `@upstash/redis` to Redis, `@neondatabase/serverless` to
 * PostgreSQL. Node only; `npm start` and the edge runtime tests start them.
 */
export * from './neon/index.ts'
export * from './upstash/index.ts'
