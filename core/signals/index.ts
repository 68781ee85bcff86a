/** @module Signals: identity (dedupe keys), batched inserts, the demo generator and seeding. */
export { type SignalIdentity, signalDedupeKey } from './dedupe.ts'
export { DEMO_TOPICS, type GenerateOptions, generateSignals } from './generate.ts'
export { insertSignals, type SignalRow } from './insert.ts'
export { countSignals, seedSignals } from './seed.ts'
