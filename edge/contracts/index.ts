/**
 * @module
 * One module per capability: request and response schemas, limits, states
 * and error codes. Core's routes, the tRPC procedures, job payloads, stored
 * records and the GPU worker derive from these; edge-safe (zod and plain TS).
 */
export * from './analytics.ts'
export * from './benchmarks.ts'
export * from './experiments.ts'
export * from './fields.ts'
export * from './mockups.ts'
export * from './score.ts'
export * from './signals.ts'
