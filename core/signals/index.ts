/**
 * @module
 * Signals: identity (dedupe keys), batched inserts, isolation of the rows the
 * database refuses and their table. The demo generator and seeding are
 * development tooling, in scripts/dev/demo-data/.
 */
export { DATA_ERROR_REASONS, type DataError, dataError, sqlstateOf } from './data-errors.ts'
export { type SignalIdentity, signalDedupeKey } from './dedupe.ts'
export { insertSignals, NO_TENANT, type SignalRow } from './insert.ts'
export { type IsolatedInsert, insertSignalsIsolating, type RefusedRow } from './isolate.ts'
export {
  listRejectedSignals,
  type RejectedPage,
  type RejectedSignal,
  recordRejectedSignals,
} from './rejected.ts'
