/**
 * @module
 * Signals: identity (dedupe keys) and batched inserts. The demo generator and
 * seeding are development tooling, in scripts/dev/demo-data/.
 */
export { type SignalIdentity, signalDedupeKey } from './dedupe.ts'
export { insertSignals, type SignalRow } from './insert.ts'
