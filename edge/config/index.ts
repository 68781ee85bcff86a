/** @module The portable edge configuration (Deno, workerd). */
export { EdgeConfigError, loadEdgeConfig } from './load.ts'
export { type EdgeConfig, edgeConfigSchema, LOG_LEVELS, type LogLevel } from './schema.ts'
