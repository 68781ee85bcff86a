/**
 * @module
 * Local bridges that let the edge app's REST/serverless clients reach the
 * local servers: `@upstash/redis` to Redis, `@neondatabase/serverless` to
 * PostgreSQL. Development tooling, Node only: `npm start`, the benchmarks and
 * the edge runtime tests start them; no service imports them (tests/layout.test.ts).
 */
export * from './neon/index.ts'
export * from './upstash/index.ts'
