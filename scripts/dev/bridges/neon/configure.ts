/**
 * @module
 * Points the Neon driver (`@neondatabase/serverless`) at a local
 * {@link NeonBridge} instead of Neon's cloud endpoints.
 */
import type { NeonConfig } from '@neondatabase/serverless'
import { WebSocket } from 'ws'
import type { NeonBridge } from './server.ts'

/** The settings {@link configureNeonForBridge} writes: `neonConfig` itself, or a `Pool`'s. */
export type NeonBridgeSettings = Pick<
  NeonConfig,
  | 'webSocketConstructor'
  | 'useSecureWebSocket'
  | 'pipelineTLS'
  | 'pipelineConnect'
  | 'wsProxy'
  | 'fetchEndpoint'
>

/**
 * Sets, on `config`:
 * - `webSocketConstructor = ws`: Node 20 has no global WebSocket;
 * - `useSecureWebSocket = false`, `pipelineTLS = false`: the bridge is plain
 *   `ws://` and local PostgreSQL has no TLS;
 * - `pipelineConnect = false`: the default (`'password'`) sends a cleartext
 *   password before the server asks, so SCRAM (and trust) logins fail with
 *   "invalid SASL authentication mechanism";
 * - `wsProxy = (host, port) => '<bridge>/v2?address=host:port'`;
 * - `fetchEndpoint = '<bridge>/sql'` (the driver also accepts a function of the
 *   host, but the bridge serves every allowed host at one URL).
 *
 * @example
 * import { neonConfig } from '@neondatabase/serverless'
 * configureNeonForBridge(neonConfig, await startNeonBridge({ allow: [databaseUrl] }))
 */
export function configureNeonForBridge(
  config: NeonBridgeSettings,
  bridge: Pick<NeonBridge, 'wsProxy' | 'fetchEndpoint'>,
): void {
  config.webSocketConstructor = WebSocket
  config.useSecureWebSocket = false
  config.pipelineTLS = false
  config.pipelineConnect = false
  config.wsProxy = (host, port) => `${bridge.wsProxy}?address=${host}:${port}`
  config.fetchEndpoint = bridge.fetchEndpoint
}
