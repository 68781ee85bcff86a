/**
 * @module
 * The Upstash-REST-compatible bridge: lets `@upstash/redis` (edge code) talk to
 * a plain Redis. {@link createUpstashBridge} is the Hono app,
 * {@link startUpstashBridge} serves it on a port with its own connection.
 */
export {
  type BridgeLogger,
  createUpstashBridge,
  DEFAULT_MAX_BODY_BYTES,
  type UpstashBridgeOptions,
} from './app.ts'
export { DENIED_COMMANDS } from './commands.ts'
export { type StartUpstashBridgeOptions, startUpstashBridge, type UpstashBridge } from './server.ts'
