/**
 * @module
 * Local stand-ins for Neon's endpoints, so unchanged edge code using
 * `@neondatabase/serverless` runs against a plain PostgreSQL: a WebSocket-to-TCP
 * proxy for `Pool`/`Client` and the SQL-over-HTTP endpoint for `neon()`, both
 * served by {@link startNeonBridge}; {@link configureNeonForBridge} points the
 * driver at them.
 */
export { configureNeonForBridge, type NeonBridgeSettings } from './configure.ts'
export { type NeonBridge, type StartNeonBridgeOptions, startNeonBridge } from './server.ts'
