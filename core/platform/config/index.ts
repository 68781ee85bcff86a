/** @module Configuration from the environment (DESIGN.md "Configuration"). */
export { ConfigError, loadConfig, loadConfigOrExit } from './load.ts'
export { type Config, configSchema, EXECUTION_PROVIDER_NAMES } from './schema.ts'
